/* originscan kb: look into and check the knowledge base. */
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kb.h"
#include "util.h"

static void help(FILE *out)
{
	fprintf(out,
	        "usage: originscan kb check | stats | vendors | policies | countries\n"
	        "\n"
	        "  check      compile every rule, run every rule example, list load notes;\n"
	        "             exit 1 on any failure (use with --kb-file to test your own)\n"
	        "  stats      counts of what is loaded, and the version\n"
	        "  vendors    every vendor: id, country, kind, group today, name\n"
	        "  policies   every policy: id and title\n"
	        "  countries  every country: code, name, and the attributes policies weigh\n");
}

int cmd_kb(int argc, char **argv)
{
	static const struct option longopts[] = {CLI_COMMON_LONGOPTS, {NULL, 0, NULL, 0}};
	struct cli_common c;
	int opt;
	cli_common_init(&c);
	while ((opt = cli_next_opt(&c, argc, argv, "", longopts, help)) > 0)
		return OS_EXIT_USAGE;   /* cli_next_opt said what was wrong */
	if (opt < 0)
		return opt == CLI_HELP ? OS_EXIT_OK : OS_EXIT_USAGE;
	if (optind != argc - 1) {
		os_err("kb: want one of check, stats, vendors, policies, countries (see originscan kb --help)");
		return OS_EXIT_USAGE;
	}
	const char *what = argv[optind];
	if (cli_kb(&c) < 0)
		return OS_EXIT_FAIL;
	int today = c.as_of > 0 ? c.as_of : os_date_of_us(os_now_us());
	if (!strcmp(what, "check")) {
		size_t nex = 0;
		kb_rule_count();        /* load the built-in rules before listing notes */
		int fails = kb_check_examples(stdout, &nex);
		for (size_t i = 0; i < kb_note_count(); i++) {
			printf("note: %s\n", kb_note_at(i));
			fails++;
		}
		printf("%zu rules, %zu examples, %zu vendors, %zu policies: %d problem%s\n", kb_rule_count(), nex,
		       kb_vendor_count(), kb_policy_count(), fails, fails == 1 ? "" : "s");
		return fails ? OS_EXIT_DIFF : OS_EXIT_OK;
	}
	if (!strcmp(what, "stats")) {
		printf("version:  %s\nvendors:  %zu\nrules:    %zu\npolicies: %zu\n", kb_version(),
		       kb_vendor_count(), kb_rule_count(), kb_policy_count());
		return 0;
	}
	if (!strcmp(what, "vendors")) {
		for (size_t i = 0; i < kb_vendor_count(); i++) {
			const struct kb_vendor *v = kb_vendor((int)i);
			const struct kb_vendor *g = kb_vendor(kb_vendor_group((int)i, today));
			printf("%-24s %-2s  %-9s  %-18s %s\n", v->id, v->country, v->kind, g && g != v ? g->id : "-",
			       v->name);
		}
		return 0;
	}
	if (!strcmp(what, "policies")) {
		for (size_t i = 0; i < kb_policy_count(); i++)
			printf("%-16s %s\n", kb_policy_at(i)->id, kb_policy_at(i)->title);
		return 0;
	}
	if (!strcmp(what, "countries")) {
		for (size_t i = 0; i < kb_country_count(); i++) {
			const char *name = NULL, *val;
			size_t na = 0;
			const char *cc = kb_country_at(i, &name, &na);
			printf("%-2s  %-28s", cc, name ? name : "-");
			for (size_t k = 0; k < na; k++) {
				const char *an = kb_country_attr_at(cc, k, &val);
				printf(" %s=%s", an, val);
			}
			putchar('\n');
		}
		return 0;
	}
	os_err("kb: unknown subcommand '%s' (see originscan kb --help)", what);
	return OS_EXIT_USAGE;
}
