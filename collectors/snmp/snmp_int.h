/* Internals of the SNMP collector, shared by its files:
 *   snmp_sweep.c   the event loop, the per-target state machine (discovery,
 *                  credentials, walks), sending and the rate cap
 *   snmp_walk.c    table walks with GETBULK/GETNEXT, and what can go wrong
 *   snmp_tables.c  which tables are walked and what each value becomes
 *   snmp_usm.c     SNMPv3 USM users and engines held by targets in flight
 *   snmp_creds.c   the credentials file and net-snmp's snmp.conf defaults
 * Nothing outside collectors/snmp/ includes this.
 */
#ifndef OS_SNMP_INT_H
#define OS_SNMP_INT_H
#include <net-snmp/net-snmp-config.h>
#include <net-snmp/net-snmp-includes.h>

#include <stdint.h>

#include "snmp_collect.h"
#include "util.h"

#define COLLECTOR "snmp"
#define MAX_COLS 16             /* columns walked side by side (ENTITY-MIB: 15) */
#define MAX_SFX 48              /* sub-ids of a row index we follow (an LLDP management address: 37) */
#define MAX_ENGINE 32           /* RFC 3411: snmpEngineID is 5..32 bytes */
#define MAX_WALK_VALUES 200000  /* per table and target: a runaway agent stops here */
#define MAX_TARGET_VALUES 1000000
#define MAX_CRAWL (1u << 20)    /* addresses and neighbours the crawl may meet */
#define MAX_NEIGHBOURS 2048     /* LLDP and CDP neighbours of one target */

enum { LANE_DISC, LANE_MAIN, NLANES };
enum lane_state { LANE_IDLE, LANE_SEND, LANE_WAIT };
enum phase { PH_CRED, PH_WALK, PH_FINISHED };

struct slot;

/* What net-snmp carries as the callback's "magic": one per request sent,
 * so that a request can be abandoned (slot NULL) and its slot reused. */
struct req {
	int netsnmp_scratch;    /* must stay first: see snmp_sweep.c, on_reply() */
	struct slot *slot;      /* NULL: abandoned, freed when net-snmp is done with it */
	int lane;
	int sending;            /* inside snmp_sess_async_send: a failure is the sender's to handle */
	struct req *prev, *next;        /* every request in flight */
};

struct lane {
	enum lane_state state;
	int attempts;           /* sends of the current step (our own retries) */
	struct req *inflight;
};

struct column {
	uint32_t sfx[MAX_SFX];  /* index of the last row seen (empty: the column itself) */
	uint8_t len;
	uint8_t ended;
};

enum nb_kind { NB_LLDP, NB_LLDP2, NB_CDP };
struct nb {                     /* one LLDP or CDP neighbour of the target being walked */
	/* its row index: LLDP-MIB lldpRemTimeMark, lldpRemLocalPortNum,
	 * lldpRemIndex; LLDP-V2 the same with the ifIndex and the destination
	 * address index; CDP cdpCacheIfIndex, cdpCacheDeviceIndex */
	uint32_t idx[4];
	uint8_t kind;
	int chassis_subtype, port_subtype;      /* LLDP */
	int addr_type[3];       /* CDP: the cache address', primary and secondary management address' */
	uint8_t *cid;           /* LLDP chassis id or CDP device id, as sent */
	size_t cidlen;
	uint8_t *addr;          /* CDP cdpCacheAddress as sent */
	size_t addrlen;
	char *subject;          /* "mac:..", "ip:..", "name:..", ... (include/mib_names.h) */
};

struct usm_ref;
struct engine_ref;

struct slot {
	struct lane lane[NLANES];
	int busy;
	int queued;             /* in the send queue */
	uint64_t pos;           /* position in the visiting order (crawled: past its end) */
	uint32_t depth;         /* 0 a target, else the crawl level it was found at */
	struct target t;
	char src[80];           /* "192.0.2.1:161": the evidence source */
	enum phase phase;
	/* discovery: 0 in flight, 1 engine id known, -1 none (no answer, or off) */
	int disc;
	uint8_t engine[MAX_ENGINE];
	size_t engine_len;
	struct engine_ref *eng;
	/* credentials */
	int cred;               /* being tried */
	int cred_ok;            /* the one accepted, -1 none yet */
	int wait_engine;        /* a v3 credential waits for the discovery */
	int blocked;            /* a v3 credential waits for a USM entry in use */
	int heard;              /* the agent said something (discovery, a report, an error) */
	struct usm_ref *usm;
	unsigned want;          /* system-group objects still to ask (SNMPv1) */
	char reply_from[64];
	struct buf why;         /* per-credential failures, for the target's detail */
	/* walking */
	int walk;               /* index into snmp_walks[] */
	int ncols;
	struct column col[MAX_COLS];
	int maxrep;
	int getnext;            /* GETNEXT instead of GETBULK (v1, or GETBULK failed) */
	int bulk_failed;
	uint32_t walk_values;
	uint64_t target_values;
	int32_t *walk_count;    /* per walk: values accepted, -1 skipped, -2 absent/ended badly */
	struct nb *nb;
	size_t nnb, nbcap;
	int problems;
	char first_problem[160];
	/* outcome: 1 answered, 2 refused (heard but no credential), 0 unreachable, -1 error */
	int outcome;
	char detail[200];
};

struct crawl_item {
	struct target t;
	uint32_t depth;
};

struct crawl {
	int on;
	struct crawl_item *q;   /* to poll, in order of discovery (so of depth) */
	size_t nq, capq, next;
	uint32_t level;         /* the level being polled */
	uint64_t *seen;         /* hashes of the addresses and neighbours met */
	size_t nseen, capseen;
	unsigned full;
};

struct sweep {
	const struct snmp_opts *o;
	const struct target_set *ts;
	struct crawl crawl;
	struct ev_sink *sink;
	void *sess4, *sess6;
	struct slot *slots;
	int nslots;
	int *queue;             /* slots with a lane to send: a ring of nslots */
	int qhead, qlen;
	int *free_slots;        /* a stack */
	int *reap;              /* finished slots waiting to write their outcome */
	int nreap;
	int nfree;
	int nblocked;
	int sink_failed;
	struct snmp_stats *stats;
	struct usm_ref *usm;
	struct engine_ref *engines;
	struct req *live;       /* requests in flight, abandoned ones too */
	struct buf val;         /* scratch for value text */
};

/* snmp_sweep.c */
void snmp_lib_init(void);
void sw_emit(struct sweep *sw, struct slot *s, enum subj_kind k, const char *subject, const char *key,
             const void *val, size_t len);
void sw_problem(struct sweep *sw, struct slot *s, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
void sw_send_lane(struct sweep *sw, struct slot *s, int lane);     /* queue a lane for sending */
netsnmp_pdu *sw_pdu(struct sweep *sw, struct slot *s, int command);  /* security + destination set */
void sw_value_text(const netsnmp_variable_list *v, struct buf *out);

/* snmp_walk.c */
void walk_next(struct sweep *sw, struct slot *s);                  /* start the next table, or finish */
netsnmp_pdu *walk_pdu(struct sweep *sw, struct slot *s);
void walk_answer(struct sweep *sw, struct slot *s, netsnmp_pdu *pdu);
void walk_no_answer(struct sweep *sw, struct slot *s, const char *why);

/* snmp_tables.c: the walks, in order */
struct walk_def {
	const char *name;       /* in summaries and problems */
	oid base[16];           /* the table's entry (columns are base.col) */
	size_t baselen;
	uint8_t cols[MAX_COLS];
	int ncols;
	int needs;              /* run only if that walk found values (-1: always) */
	int unless;             /* skip if that walk found values (-1: never) */
	int reps;               /* GETBULK repetitions for a scalar (0: the sweep's) */
	void (*value)(struct sweep *sw, struct slot *s, int col, const uint32_t *idx, size_t idxlen,
	              const netsnmp_variable_list *v);
	void (*end)(struct sweep *sw, struct slot *s);
};
extern const struct walk_def snmp_walks[];
extern const int snmp_nwalks;
extern const int snmp_last_neighbour_walk;     /* the crawl's offers are all made past it */
void tables_free(struct slot *s);

/* snmp_crawl.c: a management address a neighbour of s states (family,
 * 4 or 16 bytes), for the crawl to poll or record */
void crawl_offer(struct sweep *sw, struct slot *s, const struct nb *nb, int family, const uint8_t *addr);
void crawl_init(struct sweep *sw);
void crawl_free(struct sweep *sw);
int crawl_pending(const struct sweep *sw);
int crawl_ready(const struct sweep *sw);
/* The next address to poll, when its level may start; 1 and *t, *depth
 * set, or 0. */
int crawl_take(struct sweep *sw, struct target *t, uint32_t *depth);

/* snmp_usm.c */
int usm_acquire(struct sweep *sw, struct slot *s, const struct snmp_cred *c);  /* 0, 1 busy, -1 */
void usm_release(struct sweep *sw, struct slot *s);
void engine_hold(struct sweep *sw, struct slot *s);
void engine_release(struct sweep *sw, struct slot *s);
void usm_release_all(struct sweep *sw);
#endif
