using NanoT5.Config;
using NanoT5.Finetune;
using static NanoT5.Tests.Finetune.SniFixtures;

namespace NanoT5.Tests.Finetune;

// Expected strings follow DataCollatorForNI in nanoT5/utils/copied_utils.py line by line. CharTokenizer makes a
// token count the string length, so "fits" means length + 1 (the eos) <= max_source_length.
public sealed class SniPromptBuilderTests
{
    private const string Definition = "Definition: Copy the first word.\n\n";
    private const string Example1 = " Positive Example 1 -\nInput: alpha beta.\n Output: alpha.\n\n";
    private const string Example2 = " Positive Example 2 -\nInput: gamma delta?\n Output: gamma.\n\n";
    private const string Tail = "Now complete the following example -\nInput: epsilon zeta.\nOutput: ";

    private static readonly SniExample First = new("  alpha beta ", "alpha", "because");
    private static readonly SniExample Second = new("gamma delta?", "gamma.", null);

    private static string Source(SniItem item, FinetuneSettings? settings = null) =>
        new SniPromptBuilder(new CharTokenizer(), settings ?? new FinetuneSettings()).Source(item);

    [Fact]
    public void Source_NanoT5Defaults_DefinitionTwoExamplesAndTail()
    {
        // Periods are added after "word", "alpha beta" and "alpha" (no final punctuation) but not after
        // "delta?" or "gamma."; inputs and outputs are stripped.
        string source = Source(Item(Task("Copy the first word", First, Second)));

        Assert.Equal(Definition + Example1 + Example2 + Tail, source);
    }

    [Fact]
    public void Source_DefinitionEndingInPunctuation_GetsNoPeriod() =>
        Assert.Equal("Definition: Copy the first word!\n\n" + Tail, Source(Item(Task("  Copy the first word! "))));

    [Fact]
    public void Source_NoExamples_DefinitionThenTail() =>
        Assert.Equal(Definition + Tail, Source(Item(Task())));

    [Fact]
    public void Source_EmptyInput_GetsAPeriodAfterTheLabel() =>
        Assert.Equal(Definition + "Now complete the following example -\nInput: .\nOutput: ", Source(Item(Task(), input: "   ")));

    [Fact]
    public void Source_InputEndingInPunctuation_GetsNoPeriod() =>
        Assert.Equal(Definition + "Now complete the following example -\nInput: what is it?\nOutput: ", Source(Item(Task(), input: "what is it?")));

    [Fact]
    public void Source_SecondExampleDoesNotFit_KeepsOnlyTheFirst()
    {
        var settings = new FinetuneSettings { MaxSourceLength = (Definition + Example1 + Tail).Length + 1 };

        string source = Source(Item(Task("Copy the first word", First, Second)), settings);

        Assert.Equal(Definition + Example1 + Tail, source);
    }

    [Fact]
    public void Source_FirstExampleDoesNotFit_StopsThereEvenIfALaterOneWould()
    {
        var longFirst = new SniExample(new string('x', 200), "x", null);
        var settings = new FinetuneSettings { MaxSourceLength = (Definition + Example1 + Tail).Length + 1 };

        string source = Source(Item(Task("Copy the first word", longFirst, First)), settings);

        Assert.Equal(Definition + Tail, source);
    }

    [Fact]
    public void Source_FitCheck_JoinsKeptExamplesWithASpaceAsTheReferenceDoes()
    {
        // The reference checks definition + " ".join(kept) + candidate + tail: one character more than the source
        // it would build with two kept examples, so an example that would fit exactly is still dropped.
        var third = new SniExample("eta", "eta", null);
        string example3 = " Positive Example 3 -\nInput: eta.\n Output: eta.\n\n";
        var settings = new FinetuneSettings { NumPositiveExamples = 3, MaxSourceLength = (Definition + Example1 + Example2 + example3 + Tail).Length + 1 };

        string source = Source(Item(Task("Copy the first word", First, Second, third)), settings);

        Assert.Equal(Definition + Example1 + Example2 + Tail, source);
    }

    [Fact]
    public void Source_TooLongEvenWithoutExamples_IsCutToMaxSourceLengthTokens()
    {
        // ids + eos > max: the first max ids are decoded back to text.
        var settings = new FinetuneSettings { MaxSourceLength = 20 };

        string source = Source(Item(Task("Copy the first word", First)), settings);

        Assert.Equal((Definition + Tail)[..20], source);
    }

    [Fact]
    public void Source_TaskName_IsPrependedButLeftOutOfTheFitCheck()
    {
        // With the name the source is longer than the limit the examples were checked against, so it is cut.
        int max = (Definition + Example1 + Tail).Length + 1;
        var settings = new FinetuneSettings { AddTaskName = true, MaxSourceLength = max };

        string source = Source(Item(Task("Copy the first word", First)), settings);

        Assert.Equal(("task001_copy. " + Definition + Example1 + Tail)[..max], source);
    }

    [Fact]
    public void Source_WithoutDefinition_StartsWithTheExamples() =>
        Assert.Equal(Example1 + Tail, Source(Item(Task("Copy the first word", First)), new FinetuneSettings { AddTaskDefinition = false }));

    [Fact]
    public void Source_NegativeExamplesAndExplanations_FollowThePositiveOnes()
    {
        SniTask task = Task("Copy the first word", First) with { NegativeExamples = [new SniExample("b c", "c", "not the first word")] };
        var settings = new FinetuneSettings { NumNegativeExamples = 1, AddExplanation = true };

        string source = Source(Item(task), settings);

        Assert.Equal(
            Definition
            + " Positive Example 1 -\nInput: alpha beta.\n Output: alpha.\n Explanation: because.\n\n"
            + " Negative Example 1 -\nInput: b c.\n Output: c.\n Explanation: not the first word.\n\n"
            + Tail,
            source);
    }
}
