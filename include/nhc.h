/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nhc.c: the spoke role, registration with each configured NHS.
 * Slots are guarded by mgre_dev.nhs_lock; readers elsewhere use
 * nhrp_nhc_nhs_info() and nhc_rank.c's lookups.
 */
#ifndef _MGRE_NHC_H
#define _MGRE_NHC_H

#include "mgre.h"
#include "nhrp_proto.h"
#include "nhc_rank.h"

void nhrp_nhc_init(struct mgre_dev *m);
void nhrp_nhc_stop_all(struct mgre_dev *m);
void nhrp_nhc_start_all(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg);
void nhrp_nhc_open(struct mgre_dev *m);
void nhrp_nhc_kick(struct mgre_dev *m);
void nhrp_nhc_stop(struct mgre_dev *m);

void nhrp_nhc_registration_reply(struct mgre_dev *m,
				 const struct nhrp_packet *pkt, __be32 saddr);
void nhrp_nhc_error_indication(struct mgre_dev *m,
			       const struct nhrp_packet *pkt, __be32 saddr);

bool nhrp_nhc_nhs_info(struct mgre_dev *m, unsigned int i,
		       struct nhrp_nhs_info *info);

#endif /* _MGRE_NHC_H */
