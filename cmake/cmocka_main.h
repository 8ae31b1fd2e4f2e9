/* The main() of every cmocka test program: run all cases, or the one named
 * by argv[1] (how ctest runs them, one test per case; see
 * cmake/CmockaTests.cmake). A name that matches no case fails, so a renamed
 * case cannot pass by running nothing.
 *
 * Use: static const struct CMUnitTest tests[] = { ... };
 *      TC_CMOCKA_MAIN(tests)
 */
#ifndef TCPCHECK_CMOCKA_MAIN_H
#define TCPCHECK_CMOCKA_MAIN_H

#include <stdio.h>
#include <string.h>

#define TC_CMOCKA_MAIN(tests)                                                          \
	int main(int argc, char **argv)                                                \
	{                                                                              \
		if (argc > 1) {                                                        \
			size_t i, found = 0;                                           \
			for (i = 0; i < sizeof(tests) / sizeof(tests[0]); i++)         \
				found += strcmp(tests[i].name, argv[1]) == 0;          \
			if (!found) {                                                  \
				fprintf(stderr, "no test case named %s\n", argv[1]);  \
				return 1;                                              \
			}                                                              \
			cmocka_set_test_filter(argv[1]);                               \
		}                                                                      \
		return cmocka_run_group_tests(tests, NULL, NULL);                      \
	}

#endif
