// xunit 2 has no assembly fixture and no order across collections: this framework runs the test classes marked
// [RunsLast] after every other test of the run has finished, and tells them whether the run was the whole assembly.
using System.Reflection;
using Xunit.Abstractions;
using Xunit.Sdk;

[assembly: TestFramework("NanoT5.Sdk.Tests.Infrastructure.RunsLastFramework", "NanoT5.Sdk.Tests")]

namespace NanoT5.Sdk.Tests.Infrastructure;

/// <summary>The test class runs after all others (it checks what they did).</summary>
[AttributeUsage(AttributeTargets.Class)]
internal sealed class RunsLastAttribute : Attribute;

public sealed class RunsLastFramework(IMessageSink messageSink) : XunitTestFramework(messageSink)
{
    /// <summary>True when this run holds every test method of the assembly (no --filter left any out).</summary>
    internal static bool RanEveryTest { get; private set; }

    protected override ITestFrameworkExecutor CreateExecutor(AssemblyName assemblyName) =>
        new Executor(assemblyName, SourceInformationProvider, DiagnosticMessageSink);

    private sealed class Executor(AssemblyName assemblyName, ISourceInformationProvider sourceInformationProvider, IMessageSink diagnosticMessageSink)
        : XunitTestFrameworkExecutor(assemblyName, sourceInformationProvider, diagnosticMessageSink)
    {
#pragma warning disable CA1849, VSTHRD100 // xunit's own executor overrides this async void the same way
        protected override async void RunTestCases(IEnumerable<IXunitTestCase> testCases, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
#pragma warning restore CA1849, VSTHRD100
        {
            using var runner = new Runner(TestAssembly, testCases, DiagnosticMessageSink, executionMessageSink, executionOptions);
            await runner.RunAsync().ConfigureAwait(false);
        }
    }

    private sealed class Runner(ITestAssembly testAssembly, IEnumerable<IXunitTestCase> testCases, IMessageSink diagnosticMessageSink, IMessageSink executionMessageSink, ITestFrameworkExecutionOptions executionOptions)
        : XunitTestAssemblyRunner(testAssembly, testCases, diagnosticMessageSink, executionMessageSink, executionOptions)
    {
        protected override async Task<RunSummary> RunTestCollectionsAsync(IMessageBus messageBus, CancellationTokenSource cancellationTokenSource)
        {
            List<IXunitTestCase> all = [.. TestCases];
            List<IXunitTestCase> last = [.. all.Where(c => c.TestMethod.TestClass.Class.GetCustomAttributes(typeof(RunsLastAttribute)).Any())];
            int methodsInRun = all.Select(c => (c.TestMethod.TestClass.Class.Name, c.TestMethod.Method.Name)).Distinct().Count();
            int methodsInAssembly = typeof(RunsLastFramework).Assembly.GetTypes()
                .SelectMany(t => t.GetMethods(BindingFlags.Public | BindingFlags.Instance | BindingFlags.DeclaredOnly))
                .Count(m => m.IsDefined(typeof(FactAttribute), inherit: true));
            RanEveryTest = methodsInRun == methodsInAssembly;

            TestCases = [.. all.Except(last)];
            RunSummary summary = await base.RunTestCollectionsAsync(messageBus, cancellationTokenSource).ConfigureAwait(false);
            TestCases = last;
            summary.Aggregate(await base.RunTestCollectionsAsync(messageBus, cancellationTokenSource).ConfigureAwait(false));
            return summary;
        }
    }
}
