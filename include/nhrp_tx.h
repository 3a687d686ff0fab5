/* SPDX-License-Identifier: GPL-2.0 */
/*
 * nhrp_tx.c: building NHRP packets into fresh skbs and sending them
 * through the tunnel.  Bottom halves off (softirq, transmit, or a work
 * under rcu_read_lock_bh()).
 */
#ifndef _MGRE_NHRP_TX_H
#define _MGRE_NHRP_TX_H

#include <linux/random.h>

#include <net/flow.h>

#include "mgre.h"
#include "nhrp_build.h"

#define NHRP_HOPCNT		64	/* what we originate, as FRR does */
#define NHRP_BUF_LEN		1024	/* everything we build fits */

/* A packet being built: its skb, the route it leaves by, the builder. */
struct nhrp_tx {
	struct sk_buff *skb;
	struct rtable *rt;
	struct flowi4 fl4;
	struct nhrp_builder b;
};

/* Count an NHRP packet dropped for reason (enum mgre_nhrp_drop). */
static inline void nhrp_drop(struct mgre_dev *m, int reason)
{
	this_cpu_inc(m->nhrp_stats->drop[reason]);
}

/*
 * A request ID nobody can guess (0 means "none" in our tables): a reply
 * or an Error Indication is matched to our request by it, and an
 * off-path host must not be able to forge one.
 */
static inline u32 nhrp_tx_reqid(void)
{
	return get_random_u32() ?: 1;
}

bool nhrp_tx_begin(struct mgre_dev *m, struct nhrp_tx *tx, __be32 nbma);
void nhrp_tx_end(struct mgre_dev *m, struct nhrp_tx *tx, u8 type, u8 ttl);
u8 nhrp_tx_ttl(const struct mgre_dev *m);
void nhrp_tx_put_auth(struct nhrp_builder *b, const struct mgre_nhrp_cfg *cfg);
void nhrp_tx_put_request_exts(struct nhrp_builder *b,
			      const struct mgre_nhrp_cfg *cfg);
void nhrp_tx_put_reply_exts(struct mgre_dev *m, struct nhrp_builder *b,
			    const struct nhrp_packet *req,
			    const struct mgre_nhrp_cfg *cfg, __be32 our_nbma,
			    const struct nhrp_key *our_proto, __be32 nat_nbma);
void nhrp_tx_error(struct mgre_dev *m, const u8 *bad, unsigned int len,
		   const struct nhrp_packet *pkt, u16 code, u16 offset,
		   __be32 to);
bool nhrp_tx_forward(struct mgre_dev *m, const struct nhrp_packet *pkt,
		     __be32 to);
bool nhrp_tx_resolution_request(struct mgre_dev *m,
				const struct mgre_nhrp_cfg *cfg, __be32 to,
				const struct nhrp_key *own,
				const struct nhrp_key *dst, u8 hopcnt,
				u32 reqid);
void nhrp_tx_purge_request(struct mgre_dev *m, const struct mgre_nhrp_cfg *cfg,
			   __be32 to, const struct nhrp_key *own,
			   const struct nhrp_key *dst);

#endif /* _MGRE_NHRP_TX_H */
