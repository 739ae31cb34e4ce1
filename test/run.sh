#!/bin/sh
# npm test: the client build, then the tests (Vitest) with svelte-check beside them. The tests need only the
# build; svelte-check ran before them and left a core partly idle. Its output is printed at the end, and its
# failure fails the run as a test failure does. Arguments go to Vitest (npm test -- test/api/zones.test.ts).
mkdir -p test-output
svelte-check --tsconfig ./tsconfig.json --threshold error > test-output/svelte-check.log 2>&1 &
check_pid=$!
vite build && vitest run "$@"
tests=$?
wait "$check_pid"
check=$?
cat test-output/svelte-check.log
[ "$check" -eq 0 ] || exit "$check"
exit "$tests"
