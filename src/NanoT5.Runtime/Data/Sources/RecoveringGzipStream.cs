// Decompresses (multi-member) gzip and survives corruption: on a decoding error it reports the compressed
// offset, emits a line break (so the cut line is dropped as one bad record, not glued to the next), and
// resumes at the next gzip member header it can decode. A single-member shard (C4's) loses its rest.
using System.IO.Compression;

namespace NanoT5.Data.Sources;

/// <summary>gzip decoding that skips corrupt members instead of failing the read.</summary>
internal sealed class RecoveringGzipStream : ForwardOnlyStream
{
    private readonly CompressedFeed feed;
    private readonly Action<long, string> onCorruption;
    private GZipStream gzip;
    private bool recovering;
    private bool newlinePending;
    private bool ended;
    private long lastRestart;

    /// <param name="onCorruption">Called once per corrupt stretch with its compressed offset and the decoder's message.</param>
    public RecoveringGzipStream(Stream compressed, Action<long, string> onCorruption)
    {
        feed = new CompressedFeed(compressed);
        this.onCorruption = onCorruption;
        gzip = new GZipStream(feed, CompressionMode.Decompress, leaveOpen: true);
    }

    public override int Read(Span<byte> buffer)
    {
        while (!ended)
        {
            if (newlinePending)
            {
                newlinePending = false;
                buffer[0] = (byte)'\n';
                return 1;
            }

            try
            {
                int read = gzip.Read(buffer);
                if (read > 0)
                {
                    recovering = false;
                }

                ended = read == 0;
                return read;
            }
            catch (InvalidDataException e)
            {
                if (!recovering)
                {
                    onCorruption(feed.LastServedStart, e.Message);
                    newlinePending = true;
                }

                recovering = true;
                gzip.Dispose();
                long from = Math.Max(feed.LastServedStart, lastRestart + 1);
                if (!feed.SeekToNextHeader(from))
                {
                    ended = true;
                    return newlinePending ? NewlineThenEnd(buffer) : 0;
                }

                lastRestart = feed.LastServedStart;
                gzip = new GZipStream(feed, CompressionMode.Decompress, leaveOpen: true);
            }
        }

        return 0;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            gzip.Dispose();
            feed.Dispose();
        }

        base.Dispose(disposing);
    }

    private int NewlineThenEnd(Span<byte> buffer)
    {
        newlinePending = false;
        buffer[0] = (byte)'\n';
        return 1;
    }

    // Hands compressed bytes to GZipStream in bounded chunks and remembers the last one, so that after an
    // error the search for the next member header starts where the decoder was, even on a forward-only source.
    private sealed class CompressedFeed(Stream source) : ForwardOnlyStream
    {
        // Small chunks keep the search window tight: a member whose header lies in the failing chunk (corruption
        // within its first few KB) is decoded again up to the corruption, which repeats at most a few lines.
        private const int ChunkBytes = 1 << 12;
        private byte[] pending = [];
        private int pendingStart;
        private byte[] last = [];
        private long sourceOffset;

        /// <summary>Compressed offset of the chunk most recently handed to the decoder.</summary>
        public long LastServedStart { get; private set; }

        /// <summary>Bytes held back for the decoder (after a header search).</summary>
        public int Pending => pending.Length - pendingStart;

        public override int Read(Span<byte> buffer)
        {
            int n;
            long start;
            if (Pending > 0)
            {
                n = Math.Min(Math.Min(buffer.Length, ChunkBytes), Pending);
                start = sourceOffset - Pending;
                pending.AsSpan(pendingStart, n).CopyTo(buffer);
                pendingStart += n;
            }
            else
            {
                start = sourceOffset;
                n = source.Read(buffer[..Math.Min(buffer.Length, ChunkBytes)]);
                sourceOffset += n;
            }

            last = buffer[..n].ToArray();
            LastServedStart = start;
            return n;
        }

        /// <summary>Finds the next plausible gzip header at or after <paramref name="from"/>; false at the end of the source.</summary>
        public bool SeekToNextHeader(long from)
        {
            // Candidates come from the last served chunk, bytes not yet served, then the rest of the source.
            byte[] window = [.. last, .. pending.AsSpan(pendingStart)];
            long windowStart = LastServedStart;
            int skip = (int)Math.Clamp(from - windowStart, 0, window.Length);
            window = window[skip..];
            windowStart += skip;
            while (true)
            {
                for (int i = 0; i + 3 < window.Length; i++)
                {
                    if (window[i] == 0x1f && window[i + 1] == 0x8b && window[i + 2] == 8 && (window[i + 3] & 0xE0) == 0)
                    {
                        pending = window[i..];
                        pendingStart = 0;
                        last = [];
                        LastServedStart = windowStart + i;
                        sourceOffset = windowStart + window.Length;
                        return true;
                    }
                }

                var next = new byte[ChunkBytes];
                int read = source.Read(next);
                if (read == 0)
                {
                    pending = [];
                    pendingStart = 0;
                    return false;
                }

                int keep = Math.Min(3, window.Length);
                windowStart += window.Length - keep;
                window = [.. window.AsSpan(window.Length - keep), .. next.AsSpan(0, read)];
            }
        }
    }
}
