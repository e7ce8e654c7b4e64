using NanoT5.Checkpoints;
using NanoT5.Training;

namespace NanoT5.Tests.Training;

public sealed class CallbackDiscoveryTests
{
    [Fact]
    public void In_AnExperimentsAssembly_FindsItsPublicCallbacksWithParameterlessConstructors()
    {
        var found = CallbackDiscovery.In(typeof(CallbackDiscoveryTests).Assembly);

        Assert.Contains(found, c => c is CountingCallback);
        Assert.DoesNotContain(found, c => c.GetType() == typeof(CallbackNeedingArguments));
    }

    [Fact]
    public void In_TheRuntimeItself_FindsNothing()
    {
        Assert.Empty(CallbackDiscovery.In(typeof(ITrainingCallback).Assembly));
        Assert.Empty(CallbackDiscovery.In(null));
    }
}

/// <summary>What a user's experiment file might hold.</summary>
public sealed class CountingCallback : ITrainingCallback
{
    public int Steps { get; private set; }

    public void OnStep(TrainingState state, StepResult result) => Steps++;
}

/// <summary>Not instantiable without arguments: skipped.</summary>
public sealed class CallbackNeedingArguments(int value) : ITrainingCallback
{
    public int Value => value;
}
