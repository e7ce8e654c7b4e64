// An IBuildEngine that records what a task logs, for running the SDK's tasks in process.
using System.Collections;
using Microsoft.Build.Framework;

namespace NanoT5.Sdk.Tests.Infrastructure;

internal sealed class FakeBuildEngine : IBuildEngine6
{
    private readonly Dictionary<string, string> globalProperties;

    public FakeBuildEngine(Dictionary<string, string>? globalProperties = null) =>
        this.globalProperties = globalProperties ?? [];

    public List<BuildErrorEventArgs> Errors { get; } = [];

    public List<BuildWarningEventArgs> Warnings { get; } = [];

    public List<BuildMessageEventArgs> Messages { get; } = [];

    public bool ContinueOnError => false;

    public int LineNumberOfTaskNode => 0;

    public int ColumnNumberOfTaskNode => 0;

    public string ProjectFileOfTaskNode => string.Empty;

    public bool IsRunningMultipleNodes => false;

    public void LogErrorEvent(BuildErrorEventArgs e)
    {
        ProducedDiagnostics.Record(e.Code);
        Errors.Add(e);
    }

    public void LogWarningEvent(BuildWarningEventArgs e)
    {
        ProducedDiagnostics.Record(e.Code);
        Warnings.Add(e);
    }

    public void LogMessageEvent(BuildMessageEventArgs e) => Messages.Add(e);

    public void LogCustomEvent(CustomBuildEventArgs e)
    {
    }

    public void LogTelemetry(string eventName, IDictionary<string, string> properties)
    {
    }

    public IReadOnlyDictionary<string, string> GetGlobalProperties() => globalProperties;

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs) => throw new NotSupportedException();

    public bool BuildProjectFile(string projectFileName, string[] targetNames, IDictionary globalProperties, IDictionary targetOutputs, string toolsVersion) => throw new NotSupportedException();

    public bool BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IDictionary[] targetOutputsPerProject, string[] toolsVersion, bool useResultsCache, bool unloadProjectsOnCompletion) => throw new NotSupportedException();

    public BuildEngineResult BuildProjectFilesInParallel(string[] projectFileNames, string[] targetNames, IDictionary[] globalProperties, IList<string>[] removeGlobalProperties, string[] toolsVersion, bool returnTargetOutputs) => throw new NotSupportedException();

    public void Yield()
    {
    }

    public void Reacquire()
    {
    }

    public object? GetRegisteredTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => null;

    public void RegisterTaskObject(object key, object obj, RegisteredTaskObjectLifetime lifetime, bool allowEarlyCollectionWhenNotDesired)
    {
    }

    public object? UnregisterTaskObject(object key, RegisteredTaskObjectLifetime lifetime) => null;
}
