// The smallest real pretraining experiment: a mini T5 trains three steps on the built-in corpus in seconds.
namespace NanoT5.Sdk.Tests.Infrastructure;

internal static class TinyPretraining
{
    public const string Project = """
        <Project Sdk="NanoT5.Sdk">
          <PropertyGroup>
            <NanoT5ModelPreset>mini</NanoT5ModelPreset>
            <NanoT5TrainSources>builtin:dotnet-docs</NanoT5TrainSources>
            <NanoT5Tokenizer>gpt2</NanoT5Tokenizer>
            <NanoT5InputLength>64</NanoT5InputLength>
            <NanoT5BatchSize>4</NanoT5BatchSize>
            <NanoT5TotalSteps>3</NanoT5TotalSteps>
            <NanoT5WarmupSteps>1</NanoT5WarmupSteps>
            <NanoT5EvalSteps>1</NanoT5EvalSteps>
            <NanoT5LogEvery>1</NanoT5LogEvery>
            <NanoT5ShuffleBuffer>64</NanoT5ShuffleBuffer>
          </PropertyGroup>
        </Project>
        """;
}
