using System.Text;
using System.Text.Json;
using NanoT5.Finetune;

namespace NanoT5.Tests.Finetune;

public sealed class PythonJsonTests
{
    private static JsonDocument Parse(string json, List<string>? duplicates = null) => PythonJson.Parse(Encoding.UTF8.GetBytes(json), duplicates ?? []);

    [Theory]
    [InlineData("""{"URL": [NaN], "x": 1}""")]
    [InlineData("""{"URL": [Infinity, -Infinity], "x": 1}""")]
    [InlineData("""{"URL":NaN,"x":1}""")]
    [InlineData("[\n        NaN\n    ]")]
    public void Parse_NonFiniteLiterals_ReadsThemAsNull(string json)
    {
        using JsonDocument document = Parse(json);

        IEnumerable<JsonElement> values = document.RootElement.ValueKind == JsonValueKind.Array
            ? document.RootElement.EnumerateArray()
            : document.RootElement.GetProperty("URL") is { ValueKind: JsonValueKind.Array } list ? list.EnumerateArray() : [document.RootElement.GetProperty("URL")];
        Assert.All(values, v => Assert.Equal(JsonValueKind.Null, v.ValueKind));
    }

    [Fact]
    public void Parse_LiteralsInsideStrings_AreLeftAlone()
    {
        using JsonDocument document = Parse("""{"a": "NaN", "b": "say \"NaN\" or Infinity", "c": "\\", "d": -Infinity}""");

        Assert.Equal("NaN", document.RootElement.GetProperty("a").GetString());
        Assert.Equal("say \"NaN\" or Infinity", document.RootElement.GetProperty("b").GetString());
        Assert.Equal("\\", document.RootElement.GetProperty("c").GetString());
        Assert.Equal(JsonValueKind.Null, document.RootElement.GetProperty("d").ValueKind);
    }

    [Theory]
    [InlineData("""{"a": NaNa}""")]
    [InlineData("""{"a": nan}""")]
    [InlineData("""{"a": +Infinity}""")]
    [InlineData("""{"a": [1,],}""")]
    [InlineData("""{"a": 1} // comment""")]
    public void Parse_TextPythonRefusesToo_Throws(string json) =>
        Assert.ThrowsAny<JsonException>(() => Parse(json));

    [Fact]
    public void Parse_DuplicateKeys_LastWinsAndEachIsReportedWithItsPath()
    {
        var duplicates = new List<string>();

        using JsonDocument document = Parse("""{"id": "first", "Instances": [{"input": "a", "input": "b"}], "Positive Examples": [], "Positive Examples": [1], "id": "last"}""", duplicates);

        Assert.Equal("last", document.RootElement.GetProperty("id").GetString());
        Assert.Equal("b", document.RootElement.GetProperty("Instances")[0].GetProperty("input").GetString());
        Assert.Equal(1, document.RootElement.GetProperty("Positive Examples").GetArrayLength());
        Assert.Equal(["$.Instances[0].input", "$[\"Positive Examples\"]", "$.id"], duplicates);
    }

    [Fact]
    public void Parse_DeeplyNestedUnusedField_IsReadAsPythonWould()
    {
        string json = "{\"x\": " + new string('[', 200) + new string(']', 200) + "}";

        using JsonDocument document = Parse(json);

        Assert.Equal(JsonValueKind.Array, document.RootElement.GetProperty("x").ValueKind);
    }
}
