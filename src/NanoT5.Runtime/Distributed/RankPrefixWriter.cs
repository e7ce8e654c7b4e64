// Under a launcher every rank's output lands in one stream: each line says which rank wrote it, and goes out
// in one write so that lines of different ranks do not interleave mid-line.
using System.Text;

namespace NanoT5.Distributed;

/// <summary>Writes "[rank N] " at the start of every line; a line is written whole.</summary>
internal sealed class RankPrefixWriter(TextWriter inner, string prefix) : TextWriter
{
    private readonly StringBuilder line = new();
    private bool continuing; // the start of the current line was already flushed (with its prefix)

    public override Encoding Encoding => inner.Encoding;

    /// <summary>Prefixes the process's standard output and error with <paramref name="rank"/>.</summary>
    public static void Install(int rank)
    {
        string prefix = $"[rank {rank}] ";
        Console.SetOut(Synchronized(new RankPrefixWriter(Console.Out, prefix)));
        Console.SetError(Synchronized(new RankPrefixWriter(Console.Error, prefix)));
    }

    public override void Write(char value)
    {
        line.Append(value);
        if (value == '\n')
        {
            Emit();
        }
    }

    public override void Write(string? value)
    {
        foreach (char c in value ?? string.Empty)
        {
            Write(c);
        }
    }

    public override void Write(char[] buffer, int index, int count)
    {
        for (int i = index; i < index + count; i++)
        {
            Write(buffer[i]);
        }
    }

    public override void Flush()
    {
        if (line.Length > 0)
        {
            Emit();
        }

        inner.Flush();
    }

    private void Emit()
    {
        string text = line.ToString();
        line.Clear();
        inner.Write(continuing || text == "\n" ? text : prefix + text);
        continuing = text[^1] != '\n';
    }
}
