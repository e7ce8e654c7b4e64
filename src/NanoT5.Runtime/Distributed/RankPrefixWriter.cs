// Under a launcher every rank's output lands in one stream: each line says which rank wrote it.
using System.Text;

namespace NanoT5.Distributed;

/// <summary>Writes "[rank N] " at the start of every line.</summary>
internal sealed class RankPrefixWriter(TextWriter inner, string prefix) : TextWriter
{
    private bool lineStart = true;

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
        if (lineStart && value != '\n')
        {
            inner.Write(prefix);
        }

        inner.Write(value);
        lineStart = value == '\n';
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

    public override void Flush() => inner.Flush();
}
