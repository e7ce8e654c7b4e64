using NanoT5.Finetune;

namespace NanoT5.Tests.Finetune;

public sealed class TextCleanupTests
{
    [Fact]
    public void Strip_PythonWhitespace_IncludesTheInformationSeparators() =>
        Assert.Equal("a b", TextCleanup.Strip("\u001c\u3000 \ta b\u00a0\u2028\n"));

    [Fact]
    public void Strip_ZeroWidthSpace_IsNotWhitespaceInPython() =>
        Assert.Equal("\u200ba", TextCleanup.Strip("\u200ba "));

    [Theory]
    [InlineData('.', true)]
    [InlineData('?', true)]
    [InlineData('`', true)]
    [InlineData('~', true)]
    [InlineData('a', false)]
    [InlineData(' ', false)]
    [InlineData('\u3002', false)] // ideographic full stop is not in string.punctuation
    public void IsPunctuation_MatchesStringPunctuation(char c, bool expected) =>
        Assert.Equal(expected, TextCleanup.IsPunctuation(c));

    [Fact]
    public void CleanUpTokenization_RemovesSpacesBeforePunctuationAndContractions() =>
        Assert.Equal("Hello, world! I'm sure it's done. Don't ask?", TextCleanup.CleanUpTokenization("Hello , world ! I 'm sure it 's done . Do n't ask ?"));
}
