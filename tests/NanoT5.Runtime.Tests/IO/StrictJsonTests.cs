using NanoT5.IO;

namespace NanoT5.Tests.IO;

public sealed class StrictJsonTests
{
    [Theory]
    [InlineData("{\n  \"seed\": 1,\n  \"seed\": 2\n}", "cfg.json line 3: key 'seed' appears twice (first at line 2); each key of a JSON object must be given once.")]
    [InlineData("{ \"optim\": { \"batch_size\": 4,\n \"batch_size\": 8 } }", "cfg.json line 2: key 'optim.batch_size' appears twice (first at line 1)")]
    [InlineData("{ \"a\": [ { \"k\": 1, \"k\": 2 } ] }", "key 'a[].k' appears twice")]
    [InlineData("{ \"model\": {\n \"eps\": 1e400 } }", "cfg.json line 2: 'model.eps' is 1e400, which is not a finite number (it overflows a double).")]
    [InlineData("{ \"x\": [1, -1e999] }", "'x[]' is -1e999, which is not a finite number")]
    [InlineData("{ \"x\": ", "cfg.json line 1: not valid JSON")]
    public void Check_RefusesDuplicateKeysNonFiniteNumbersAndBrokenText_NamingFileKeyAndLine(string json, string expected)
    {
        var error = Assert.Throws<InvalidDataException>(() => StrictJson.ParseNode(json, "cfg.json"));

        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ParseNode_TheSameKeyInSiblingObjects_AndLargeFiniteNumbers_Parse()
    {
        var node = StrictJson.ParseNode("{ \"a\": { \"k\": 1 }, \"b\": { \"k\": 1.7976931348623157e308 }, \"c\": [ { \"k\": 1 }, { \"k\": 2 } ] }", "cfg.json");

        Assert.Equal(1.7976931348623157e308, node!["b"]!["k"]!.GetValue<double>());
    }
}
