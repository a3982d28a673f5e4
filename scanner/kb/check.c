/* The knowledge base's own regression suite: every rule example must be
 * decided by its rule with exactly the expected extraction (Recog's habit:
 * a fingerprint carries its examples). */
#include <stdio.h>
#include <string.h>

#include "kb_int.h"
#include "util.h"

static void show(FILE *out, const char *v, size_t len)
{
	for (size_t i = 0; i < len && i < 200; i++) {
		unsigned char c = (unsigned char)v[i];
		if (c == '\r')
			fputs("\\r", out);
		else if (c == '\n')
			fputs("\\n", out);
		else if (c < 0x20 || c >= 0x7f)
			fprintf(out, "\\x%02x", c);
		else
			fputc(c, out);
	}
}

int kb_check_examples(FILE *out, size_t *nexamples)
{
	static const char *const names[8] = {"vendor", "product", "model", "firmware", "role", "function", "cpe",
	                                     "brand"};
	int failures = 0;
	size_t n = 0;
	char err[512];
	if (kb_rules_compile_all(err, sizeof err) < 0) {
		fprintf(out, "%s\n", err);
		failures++;
	}
	for (size_t i = 0; i < kb_rule_count(); i++) {
		struct kb_rule_view r;
		kb_rule_get(i, &r);
		for (size_t j = 0; j < r.nexamples; j++) {
			const struct kb_example *ex = &r.examples[j];
			struct kb_extract e;
			int hit = kb_classify(r.kind, ex->value, ex->len, &e);
			n++;
			if (ex->counter) {
				if (hit && !strcmp(e.rule_id, r.id)) {
					fprintf(out, "%s:%d: rule %s: counter-example matched: \"", r.file, ex->line, r.id);
					show(out, ex->value, ex->len);
					fputs("\"\n", out);
					failures++;
				}
				continue;
			}
			if (!hit || strcmp(e.rule_id, r.id)) {
				fprintf(out, "%s:%d: rule %s: example decided by %s: \"", r.file, ex->line, r.id,
				        hit ? e.rule_id : "no rule");
				show(out, ex->value, ex->len);
				fputs("\"\n", out);
				failures++;
				continue;
			}
			const struct kb_vendor *kv = kb_vendor(e.vendor), *kb = kb_vendor(e.brand);
			const char *got[8] = {kv ? kv->id : "", e.product, e.model, e.firmware, e.role, e.function, e.cpe,
			                      kb ? kb->id : ""};
			for (int f = 0; f < 8; f++) {
				const char *want = ex->want[f] ? ex->want[f] : "";
				if (strcmp(got[f] ? got[f] : "", want)) {
					fprintf(out, "%s:%d: rule %s: %s is \"%s\", example expects \"%s\"\n", r.file,
					        ex->line, r.id, names[f], got[f] ? got[f] : "", want);
					failures++;
				}
			}
		}
	}
	if (nexamples)
		*nexamples = n;
	return failures;
}
