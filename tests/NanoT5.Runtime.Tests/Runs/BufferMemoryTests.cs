using NanoT5.Config;
using NanoT5.Runs;

namespace NanoT5.Tests.Runs;

public sealed class BufferMemoryTests
{
    [Fact]
    public void Parts_OfNanoT5sPretrainingRecipe_AreWhatItsBuffersHold_AndFitEasily()
    {
        // T5-base, batch 128, input 512 (568 tokens before masking, 114 targets), shuffle buffer 10,000, chunks of 1,000.
        var config = new ExperimentConfig { Name = "base", RunDirectory = "runs/base", Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"], Workers = 4 } };

        var parts = BufferMemory.Parts(config).ToDictionary(p => p.What.Split(' ')[0], p => p.Bytes);

        Assert.Equal(10_000 * ((568 * 4) + 32.0), parts["data.shuffle_buffer"]);
        Assert.Equal(1_000 * 64 * 13.0, parts["data.documents_per_chunk"]);
        Assert.Equal(128 * (512 + 114) * 32.0, parts["optim.batch_size"]);
        BufferMemory.EnsureFits(config);
    }

    [Theory]
    [InlineData("shuffle", "data.shuffle_buffer 2,147,483,647 rows of 568 tokens")]
    [InlineData("chunk", "data.documents_per_chunk 2,147,483,647 documents in each of 13 chunks in flight (data.workers 4)")]
    [InlineData("batch", "optim.batch_size 2,147,483,647 rows of 626 tokens")]
    public void EnsureFits_ABufferSetTo2Pow31_IsRefusedNamingItsSettingAndSize(string which, string expected)
    {
        var data = new DataSettings { TrainSources = ["builtin:dotnet-docs"], Workers = 4 };
        var config = new ExperimentConfig
        {
            Name = "huge",
            RunDirectory = "runs/huge",
            Data = which switch
            {
                "shuffle" => data with { ShuffleBuffer = int.MaxValue },
                "chunk" => data with { DocumentsPerChunk = int.MaxValue },
                _ => data,
            },
            Optim = new OptimizerSettings { BatchSize = which == "batch" ? int.MaxValue : 128 },
        };

        var error = Assert.Throws<InvalidDataException>(() => BufferMemory.EnsureFits(config));

        Assert.StartsWith("the data buffers need about ", error.Message, StringComparison.Ordinal);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void EnsureFits_MoreThreadsThanTheMachineAllows_IsRefusedNamingTheSetting()
    {
        var config = new ExperimentConfig { Name = "t", RunDirectory = "runs/t", Threads = int.MaxValue, Data = new DataSettings { TrainSources = ["builtin:dotnet-docs"] } };

        var error = Assert.Throws<InvalidDataException>(() => BufferMemory.EnsureFits(config));

        Assert.StartsWith($"threads is 2,147,483,647, more than the {BufferMemory.ThreadLimit():N0} threads this machine allows", error.Message, StringComparison.Ordinal);
    }
}
