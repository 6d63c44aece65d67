/**
 * JMH benchmarks of the verify hot path: {@link dev.keygate.bench.VerifyBenchmark} through a real server's
 * verify service, {@link dev.keygate.bench.CoreVerifyBenchmark} step by step, and
 * {@link dev.keygate.bench.ConditionBenchmark} the CEL conditions of grants. Not run by the test suite; built
 * into {@code keygate-bench/target/benchmarks.jar}. Commands, targets and figures: {@code bench/README.md}.
 */
package dev.keygate.bench;
