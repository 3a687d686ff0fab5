/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nhrp_res.c: resolution requests and replies, shortcuts, and the
 * resolutions that transmit, Traffic Indications and netlink start.
 */
#ifndef _MGRE_NHRP_RES_H
#define _MGRE_NHRP_RES_H

#include "mgre.h"
#include "nhrp_proto.h"

void nhrp_res_request(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
		      const struct nhrp_packet *pkt, __be32 saddr,
		      __be32 daddr);
void nhrp_res_reply(struct mgre_dev *m, const struct nhrp_packet *pkt,
		    __be32 saddr);
void nhrp_res_traffic_indication(struct mgre_dev *m,
				 const struct mgre_nhrp_cfg *cfg,
				 const struct nhrp_packet *pkt, __be32 saddr);
__be32 nhrp_res_tx_miss(struct mgre_dev *m, const struct nhrp_key *key,
			struct nhrp_entry *e);
void nhrp_res_tx_refresh(struct mgre_dev *m, struct nhrp_entry *e);
int nhrp_res_resolve(struct mgre_dev *m, const struct nhrp_key *key);
void nhrp_res_init(struct mgre_dev *m);
void nhrp_res_stop(struct mgre_dev *m);

#endif /* _MGRE_NHRP_RES_H */
