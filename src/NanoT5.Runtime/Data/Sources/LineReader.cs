// Splits a byte stream into '\n'-terminated lines without decoding them (JSON is parsed from UTF-8 bytes).
namespace NanoT5.Data.Sources;

/// <summary>Lines of a stream as byte slices; each slice is valid until the next line is read.</summary>
internal sealed class LineReader(Stream stream)
{
    /// <summary>Longer lines are returned truncated and flagged: one record must not take the machine's memory.</summary>
    public const int MaxLineBytes = 16 << 20;

    private byte[] buffer = new byte[1 << 16];
    private int start;
    private int end;
    private bool eof;

    /// <summary>Empty or only ASCII whitespace.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r\f\v"u8).IsEmpty;

    /// <summary>The next line without its '\n' ('\r' kept), or false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        tooLong = false;
        int scanned = 0;
        while (true)
        {
            int newline = buffer.AsSpan(start + scanned, end - start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = buffer.AsMemory(start, scanned + newline);
                start += scanned + newline + 1;
                return true;
            }

            scanned = end - start;
            if (eof)
            {
                line = buffer.AsMemory(start, scanned);
                start = end;
                return scanned > 0;
            }

            if (scanned >= MaxLineBytes)
            {
                tooLong = true;
                SkipRestOfLine();
                line = ReadOnlyMemory<byte>.Empty;
                return true;
            }

            Fill();
        }
    }

    private void Fill()
    {
        if (start > 0)
        {
            Buffer.BlockCopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }

        if (end == buffer.Length)
        {
            Array.Resize(ref buffer, Math.Min(buffer.Length * 2, MaxLineBytes + (1 << 16)));
        }

        int read = stream.Read(buffer, end, buffer.Length - end);
        end += read;
        eof = read == 0;
    }

    private void SkipRestOfLine()
    {
        start = end = 0;
        while (true)
        {
            int read = stream.Read(buffer, 0, buffer.Length);
            if (read == 0)
            {
                eof = true;
                return;
            }

            int newline = buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                start = newline + 1;
                end = read;
                return;
            }
        }
    }
}
