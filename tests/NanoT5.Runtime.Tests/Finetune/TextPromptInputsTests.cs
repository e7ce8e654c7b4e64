using NanoT5.Finetune;

namespace NanoT5.Tests.Finetune;

public sealed class TextPromptInputsTests
{
    [Fact]
    public void Read_TextFile_OneInputPerNonBlankLineInOrder()
    {
        using TempFolder folder = TestPaths.NewTempFolder();
        string file = Path.Combine(folder.Path, "inputs.txt");
        File.WriteAllText(file, "first input\n\n  \nsecond: {\"input\": 1}\n");

        Assert.Equal(["first input", "second: {\"input\": 1}"], TextPromptInputs.Read(file, TextReader.Null));
    }

    [Fact]
    public void Read_JsonLinesFile_TakesEachObjectsInput()
    {
        using TempFolder folder = TestPaths.NewTempFolder();
        string file = Path.Combine(folder.Path, "inputs.jsonl");
        File.WriteAllText(file, "{\"id\": \"a\", \"input\": \"line one\\nline two\"}\n{\"input\": \"<extra_id_0> day\"}\n");

        Assert.Equal(["line one\nline two", "<extra_id_0> day"], TextPromptInputs.Read(file, TextReader.Null));
    }

    [Fact]
    public void Read_JsonLinesWithoutInput_NamesTheFileAndLine()
    {
        using TempFolder folder = TestPaths.NewTempFolder();
        string file = Path.Combine(folder.Path, "inputs.jsonl");
        File.WriteAllText(file, "{\"input\": \"ok\"}\n{\"text\": \"no\"}\n");

        var error = Assert.Throws<InvalidDataException>(() => TextPromptInputs.Read(file, TextReader.Null));

        Assert.Equal($"{file}, line 2: expected an object with a string \"input\", e.g. {{\"input\": \"translate English to German: Hello\"}}.", error.Message);
    }

    [Fact]
    public void Read_Dash_ReadsStandardInputToTheEnd()
    {
        Assert.Equal(["a", "b"], TextPromptInputs.Read("-", new StringReader("a\nb\n")));
    }

    [Fact]
    public void Read_EmptyStandardInput_SaysThereIsNoInput()
    {
        var error = Assert.Throws<InvalidDataException>(() => TextPromptInputs.Read("-", new StringReader("\n")));

        Assert.Equal("predict --input: standard input holds no input (one per line).", error.Message);
    }
}
