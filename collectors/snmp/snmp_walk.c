/* Table walks: the columns a walk_def names are walked side by side, one
 * request at a time per target, with GETBULK (v2c, v3) or GETNEXT (v1,
 * or an agent that answers GETBULK badly).
 *
 * Each column keeps the index of the last row it returned; a request asks
 * for the next rows of every column still open. Agents get things wrong
 * in known ways, and each one ends the walk cleanly, keeps what was
 * gathered and is recorded as an snmp.problem row of the device:
 *   - a table they do not have: the column's next object lies outside it
 *     (or endOfMibView): the normal end, no problem;
 *   - noSuchObject/noSuchInstance in a GETNEXT/GETBULK answer (not allowed
 *     there): that column stops;
 *   - a non-increasing OID (an agent looping over its table): that column
 *     stops -- following it would never end;
 *   - an answer that moves no column forward, or an error status: the
 *     walk stops (an error on GETBULK first retries the walk with GETNEXT);
 *   - values missing (NULL: some agents echo a GETBULK they trip over):
 *     the walk goes on with GETNEXT, or stops if GETNEXT does the same;
 *   - tooBig: fewer repetitions, down to one row;
 *   - no answer at all: once with GETNEXT in case GETBULK is what the agent
 *     drops, then the target's walks end;
 *   - a table that never ends: MAX_WALK_VALUES per table.
 * Cost: the columns' last indexes (MAX_COLS x MAX_SFX sub-ids) per slot.
 */
#include "snmp_int.h"

#include <stdio.h>
#include <string.h>

static int active_cols(const struct slot *s, int *act)
{
	int k = 0;
	for (int c = 0; c < s->ncols; c++)
		if (!s->col[c].ended)
			act[k++] = c;
	return k;
}

static void col_oid(const struct walk_def *w, const struct slot *s, int c, oid *out, size_t *outlen)
{
	size_t n = 0;
	for (size_t i = 0; i < w->baselen; i++)
		out[n++] = w->base[i];
	out[n++] = w->cols[c];
	for (int i = 0; i < s->col[c].len; i++)
		out[n++] = s->col[c].sfx[i];
	*outlen = n;
}

static void oid_text(const oid *o, size_t n, char *out, size_t outlen)
{
	size_t used = 0;
	out[0] = 0;
	for (size_t i = 0; i < n && used + 12 < outlen; i++)
		used += (size_t)snprintf(out + used, outlen - used, "%s%lu", i ? "." : "", (unsigned long)o[i]);
}

/* Start the next walk of the plan that applies; none left: finished. */
void walk_next(struct sweep *sw, struct slot *s)
{
	for (s->walk++; s->walk < snmp_nwalks; s->walk++) {
		const struct walk_def *w = &snmp_walks[s->walk];
		if (w->needs >= 0 && s->walk_count[w->needs] <= 0) {
			s->walk_count[s->walk] = -1;
			continue;
		}
		if (w->unless >= 0 && s->walk_count[w->unless] > 0) {
			s->walk_count[s->walk] = -1;
			continue;
		}
		if (s->target_values >= MAX_TARGET_VALUES) {
			sw_problem(sw, s, "%s: not walked, the device already gave %u values", w->name,
			           MAX_TARGET_VALUES);
			s->walk_count[s->walk] = -2;
			continue;
		}
		s->ncols = w->ncols;
		memset(s->col, 0, sizeof s->col);
		s->walk_values = 0;
		s->walk_count[s->walk] = 0;
		s->lane[LANE_MAIN].attempts = 0;
		sw_send_lane(sw, s, LANE_MAIN);
		return;
	}
	s->phase = PH_FINISHED;
}

static void walk_end(struct sweep *sw, struct slot *s, int bad)
{
	const struct walk_def *w = &snmp_walks[s->walk];
	if (bad && !s->walk_values)
		s->walk_count[s->walk] = -2;
	if (w->end)
		w->end(sw, s);
	walk_next(sw, s);
}

netsnmp_pdu *walk_pdu(struct sweep *sw, struct slot *s)
{
	const struct walk_def *w = &snmp_walks[s->walk];
	int act[MAX_COLS], k = active_cols(s, act);
	netsnmp_pdu *pdu = sw_pdu(sw, s, s->getnext ? SNMP_MSG_GETNEXT : SNMP_MSG_GETBULK);
	if (!s->getnext) {
		/* The repetitions are shared by the columns: an answer holds
		 * about max_repetitions values whatever the table's width. */
		long rep = w->reps ? w->reps : s->maxrep / k;
		pdu->non_repeaters = 0;
		pdu->max_repetitions = rep > 0 ? rep : 1;
	}
	for (int i = 0; i < k; i++) {
		oid o[MAX_OID_LEN];
		size_t n;
		col_oid(w, s, act[i], o, &n);
		snmp_add_null_var(pdu, o, n);
	}
	return pdu;
}

static int sfx_cmp(const uint32_t *a, size_t na, const uint32_t *b, size_t nb)
{
	size_t n = na < nb ? na : nb;
	for (size_t i = 0; i < n; i++)
		if (a[i] != b[i])
			return a[i] < b[i] ? -1 : 1;
	return na < nb ? -1 : na > nb;
}

static void resend(struct sweep *sw, struct slot *s)
{
	s->lane[LANE_MAIN].attempts = 0;
	sw_send_lane(sw, s, LANE_MAIN);
}

void walk_answer(struct sweep *sw, struct slot *s, netsnmp_pdu *pdu)
{
	const struct walk_def *w = &snmp_walks[s->walk];
	int act[MAX_COLS], k = active_cols(s, act);
	if (pdu->errstat == SNMP_ERR_NOSUCHNAME && s->getnext) {
		/* SNMPv1's end of the MIB for the column at errindex; the
		 * others were not answered: ask again without it. */
		if (pdu->errindex >= 1 && pdu->errindex <= k) {
			if (sw->o->creds->c[s->cred_ok].version != 1)
				sw_problem(sw, s, "%s: agent answered noSuchName (an SNMPv1 error) to GETNEXT; column %u stopped",
				           w->name, w->cols[act[pdu->errindex - 1]]);
			s->col[act[pdu->errindex - 1]].ended = 1;
			if (k > 1) {
				resend(sw, s);
				return;
			}
			walk_end(sw, s, 0);
			return;
		}
		sw_problem(sw, s, "%s: noSuchName without a valid index", w->name);
		walk_end(sw, s, 1);
		return;
	}
	if (pdu->errstat == SNMP_ERR_TOOBIG) {
		if (!s->getnext && s->maxrep > k) {
			s->maxrep = s->maxrep / 2 > k ? s->maxrep / 2 : k;
			resend(sw, s);
			return;
		}
		sw_problem(sw, s, "%s: answer too big even for one row; walk stopped", w->name);
		walk_end(sw, s, 1);
		return;
	}
	if (pdu->errstat != SNMP_ERR_NOERROR) {
		if (!s->getnext) {
			sw_problem(sw, s, "%s: GETBULK answered %s; walking with GETNEXT", w->name,
			           snmp_errstring((int)pdu->errstat));
			s->getnext = 1;
			resend(sw, s);
			return;
		}
		sw_problem(sw, s, "%s: agent answered %s; walk stopped", w->name, snmp_errstring((int)pdu->errstat));
		walk_end(sw, s, 1);
		return;
	}

	/* Some agents that trip over a GETBULK echo the request with NULL
	 * values instead of an error: no value is no answer. */
	for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable)
		if (v->type == ASN_NULL) {
			if (!s->getnext) {
				sw_problem(sw, s, "%s: GETBULK answered without values; walking with GETNEXT", w->name);
				s->getnext = 1;
				resend(sw, s);
				return;
			}
			sw_problem(sw, s, "%s: GETNEXT answered without a value; walk stopped", w->name);
			walk_end(sw, s, 1);
			return;
		}

	int j = 0, progress = 0, nvars = 0;
	oid colbase[MAX_OID_LEN];
	for (size_t i = 0; i < w->baselen; i++)
		colbase[i] = w->base[i];
	for (netsnmp_variable_list *v = pdu->variables; v; v = v->next_variable, j++) {
		nvars++;
		int c = act[j % k];
		struct column *col = &s->col[c];
		if (col->ended)
			continue;
		if (v->type == SNMP_ENDOFMIBVIEW) {
			col->ended = 1;
			continue;
		}
		if (v->type == SNMP_NOSUCHOBJECT || v->type == SNMP_NOSUCHINSTANCE) {
			sw_problem(sw, s, "%s: agent answered %s to %s; column %u stopped", w->name,
			           v->type == SNMP_NOSUCHOBJECT ? "noSuchObject" : "noSuchInstance",
			           s->getnext ? "GETNEXT" : "GETBULK", w->cols[c]);
			col->ended = 1;
			continue;
		}
		colbase[w->baselen] = w->cols[c];
		size_t pl = w->baselen + 1;
		if (v->name_length < pl || memcmp(v->name, colbase, pl * sizeof(oid))) {
			col->ended = 1;         /* past the column: its normal end */
			continue;
		}
		size_t sl = v->name_length - pl;
		uint32_t sfx[MAX_SFX];
		if (sl > MAX_SFX) {
			sw_problem(sw, s, "%s: row index of %zu sub-ids is longer than %d; column %u stopped", w->name,
			           sl, MAX_SFX, w->cols[c]);
			col->ended = 1;
			continue;
		}
		for (size_t i = 0; i < sl; i++)
			sfx[i] = (uint32_t)v->name[pl + i];
		if (sfx_cmp(sfx, sl, col->sfx, col->len) <= 0) {
			char got[200], after[200];
			oid prev[MAX_OID_LEN];
			size_t pn;
			oid_text(v->name, v->name_length, got, sizeof got);
			col_oid(w, s, c, prev, &pn);
			oid_text(prev, pn, after, sizeof after);
			sw_problem(sw, s, "%s: OID not increasing (%s after %s): the agent loops; column %u stopped",
			           w->name, got, after, w->cols[c]);
			col->ended = 1;
			continue;
		}
		memcpy(col->sfx, sfx, sl * sizeof *sfx);
		col->len = (uint8_t)sl;
		progress = 1;
		s->walk_values++;
		s->target_values++;
		s->walk_count[s->walk]++;
		w->value(sw, s, w->cols[c], sfx, sl, v);
		if (s->walk_values >= MAX_WALK_VALUES) {
			sw_problem(sw, s, "%s: stopped after %u values", w->name, MAX_WALK_VALUES);
			walk_end(sw, s, 1);
			return;
		}
	}
	k = active_cols(s, act);
	if (!k) {
		walk_end(sw, s, 0);
		return;
	}
	if (!progress) {
		/* Nothing moved but columns remain open: asking again would
		 * get the same answer for ever. */
		sw_problem(sw, s, "%s: %s answer with %d value%s moved no column; walk stopped", w->name,
		           s->getnext ? "GETNEXT" : "GETBULK", nvars, nvars == 1 ? "" : "s");
		walk_end(sw, s, 1);
		return;
	}
	resend(sw, s);
}

void walk_no_answer(struct sweep *sw, struct slot *s, const char *why)
{
	const struct walk_def *w = &snmp_walks[s->walk];
	if (!s->getnext && !s->bulk_failed) {
		/* Some agents drop GETBULK, or the large answer is lost on the
		 * way: once per target, the same walk with GETNEXT. */
		s->bulk_failed = 1;
		s->getnext = 1;
		sw_problem(sw, s, "%s: %s to GETBULK; walking with GETNEXT", w->name, why);
		resend(sw, s);
		return;
	}
	sw_problem(sw, s, "%s: %s; walks of this device stopped", w->name, why);
	if (!s->walk_values)
		s->walk_count[s->walk] = -2;
	if (w->end)
		w->end(sw, s);
	for (int i = s->walk + 1; i < snmp_nwalks; i++)
		s->walk_count[i] = -3;
	s->phase = PH_FINISHED;
}
