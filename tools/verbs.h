/* SPDX-License-Identifier: GPL-2.0 */
/*
 * mgrectl's verbs: what the dispatcher (mgrectl.c) calls.  One file per
 * group; a verb file never calls another one.
 */
#ifndef _MGRECTL_VERBS_H
#define _MGRECTL_VERBS_H

#include <stdio.h>

/* entry.c: the entry verbs */
int do_show(int argc, char **argv);
int do_get(int argc, char **argv);
int do_add(int argc, char **argv);
int do_del(int argc, char **argv);
int do_flush(int argc, char **argv);
void usage_show(FILE *f);
void usage_get(FILE *f);
void usage_add(FILE *f);
void usage_del(FILE *f);
void usage_flush(FILE *f);

/* nhrp.c: NHS state, NHRP traffic, resolution */
int do_nhs(int argc, char **argv);
int do_traffic(int argc, char **argv);
int do_resolve(int argc, char **argv);
void usage_nhs(FILE *f);
void usage_traffic(FILE *f);
void usage_resolve(FILE *f);

/* stats.c: counters and events */
int do_stats(int argc, char **argv);
int do_monitor(int argc, char **argv);
void usage_stats(FILE *f);
void usage_monitor(FILE *f);

/* link.c: rtnetlink devices */
int do_link(int argc, char **argv);
void usage_link(FILE *f);

/* dmvpn.c: the operator's summary (Cisco "show dmvpn"), through "show" */
int do_dmvpn(int argc, char **argv);

#endif /* _MGRECTL_VERBS_H */
