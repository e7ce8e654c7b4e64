using System.Text;
using NanoT5.Config;
using NanoT5.Data;
using NanoT5.Distributed;
using static TorchSharp.torch;

namespace NanoT5.Tests.Distributed;

[Collection(TorchCollection.Name)]
public sealed class DataParallelTests
{
    [Theory]
    [InlineData(32, 2)]
    [InlineData(17, 3)]
    [InlineData(5, 8)]
    public void Share_CoversEveryRowOnceInRankOrder_WithSizesDifferingByAtMostOne(long rows, int size)
    {
        var shares = Enumerable.Range(0, size).Select(rank => DataParallel.Share(rows, rank, size)).ToList();

        Assert.Equal(0, shares[0].Start);
        Assert.All(shares.Zip(shares.Skip(1)), pair => Assert.Equal(pair.First.Start + pair.First.Count, pair.Second.Start));
        Assert.Equal(rows, shares.Sum(s => s.Count));
        Assert.InRange(shares.Max(s => s.Count) - shares.Min(s => s.Count), 0, 1);
    }

    [Fact]
    public void TokenWeight_IsThePartsShareOfTheLabelTokens_IgnoringPadding()
    {
        using var scope = NewDisposeScope();
        Tensor ids = zeros(4, 3, ScalarType.Int64);
        Tensor labels = tensor(new long[] { 1, 2, 3, 4, -100, -100, 5, 6, 7, 8, 9, -100 }, [4, 3]);
        var whole = new TrainingBatch(ids, ones_like(ids), labels);
        var firstHalf = new TrainingBatch(ids.narrow(0, 0, 2), ones_like(ids).narrow(0, 0, 2), labels.narrow(0, 0, 2));

        Assert.Equal(4.0 / 9.0, DataParallel.TokenWeight(whole, firstHalf), 12);
    }

    [Fact]
    public void Fingerprint_DiffersForAnotherConfigOrResumeStep_AndNotOtherwise()
    {
        var config = new ExperimentConfig();

        byte[] same = StartupAgreement.Fingerprint(config, 10);

        Assert.Equal(same, StartupAgreement.Fingerprint(config with { }, 10));
        Assert.NotEqual(same.AsSpan(0, 32).ToArray(), StartupAgreement.Fingerprint(config with { Seed = 1 }, 10).AsSpan(0, 32).ToArray());
        Assert.Equal(same.AsSpan(0, 32).ToArray(), StartupAgreement.Fingerprint(config, -1).AsSpan(0, 32).ToArray());
        Assert.NotEqual(same, StartupAgreement.Fingerprint(config, -1));
    }

    [Fact]
    public void RankPrefixWriter_PrefixesEveryLineOnce()
    {
        var text = new StringWriter();
        var writer = new RankPrefixWriter(text, "[rank 1] ");

        writer.Write("a");
        writer.WriteLine("b");
        writer.Write("c\nd\n");

        Assert.Equal("[rank 1] ab" + Environment.NewLine + "[rank 1] c\n[rank 1] d\n", text.ToString().Replace("\r", string.Empty, StringComparison.Ordinal));
        Assert.Equal(Encoding.Unicode.WebName, writer.Encoding.WebName);
    }
}
