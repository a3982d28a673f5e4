/* libFuzzer target for one dissector of the table, named by FUZZ_PROTO at
 * build time (see CMakeLists.txt here). */
#include "fuzz_body.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_app_one(FUZZ_PROTO, data, size);
	return 0;
}
