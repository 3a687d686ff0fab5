/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nhs.c: the hub role, registrations, purges and phase 3 redirects.
 */
#ifndef _MGRE_NHS_H
#define _MGRE_NHS_H

#include "mgre.h"
#include "nhrp_proto.h"

void nhrp_nhs_registration_request(struct mgre_dev *m,
				   const struct mgre_nhrp_cfg *cfg,
				   const struct nhrp_packet *pkt,
				   __be32 saddr, __be32 daddr);
bool nhrp_nhs_probe_reply(struct mgre_dev *m, const struct nhrp_packet *pkt,
			  __be32 saddr);
void nhrp_nhs_purge_request(struct mgre_dev *m,
			    const struct mgre_nhrp_cfg *cfg,
			    const struct nhrp_packet *pkt, __be32 saddr);
void nhrp_nhs_tx_redirect(struct mgre_dev *m, const struct sk_buff *skb);
void nhrp_nhs_mcast_update(struct mgre_dev *m);

#endif /* _MGRE_NHS_H */
