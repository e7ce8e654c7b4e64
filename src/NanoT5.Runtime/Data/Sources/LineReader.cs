// Splits a byte stream into '\n'-terminated lines without decoding them (JSON is parsed from UTF-8 bytes).
namespace NanoT5.Data.Sources;

/// <summary>Lines of a stream as byte slices; each slice is valid until the next line is read.</summary>
internal sealed class LineReader(Stream stream)
{
    /// <summary>Longer lines are returned truncated and flagged: one record must not take the machine's memory.</summary>
    public const int MaxLineBytes = 16 << 20;

    private byte[] _buffer = new byte[1 << 16];
    private int _start;
    private int _end;
    private bool _eof;

    /// <summary>Empty or only ASCII whitespace.</summary>
    public static bool IsBlank(ReadOnlySpan<byte> line) => line.Trim(" \t\r\f\v"u8).IsEmpty;

    /// <summary>The next line without its '\n' ('\r' kept), or false at the end of the stream.</summary>
    public bool TryReadLine(out ReadOnlyMemory<byte> line, out bool tooLong)
    {
        tooLong = false;
        int scanned = 0;
        while (true)
        {
            int newline = _buffer.AsSpan(_start + scanned, _end - _start - scanned).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                line = _buffer.AsMemory(_start, scanned + newline);
                _start += scanned + newline + 1;
                return true;
            }

            scanned = _end - _start;
            if (_eof)
            {
                line = _buffer.AsMemory(_start, scanned);
                _start = _end;
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
        if (_start > 0)
        {
            Buffer.BlockCopy(_buffer, _start, _buffer, 0, _end - _start);
            _end -= _start;
            _start = 0;
        }

        if (_end == _buffer.Length)
        {
            Array.Resize(ref _buffer, Math.Min(_buffer.Length * 2, MaxLineBytes + (1 << 16)));
        }

        int read = stream.Read(_buffer, _end, _buffer.Length - _end);
        _end += read;
        _eof = read == 0;
    }

    private void SkipRestOfLine()
    {
        _start = _end = 0;
        while (true)
        {
            int read = stream.Read(_buffer, 0, _buffer.Length);
            if (read == 0)
            {
                _eof = true;
                return;
            }

            int newline = _buffer.AsSpan(0, read).IndexOf((byte)'\n');
            if (newline >= 0)
            {
                _start = newline + 1;
                _end = read;
                return;
            }
        }
    }
}
