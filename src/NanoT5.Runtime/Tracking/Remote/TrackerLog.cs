// Where tracking reports trouble (a tracker down, a token rejected). Every line passes through the token
// redactor first, so even a server that echoes the Authorization header cannot leak it into a log.
namespace NanoT5.Tracking.Remote;

/// <summary>Warnings of the tracker, written to a <see cref="TextWriter"/> and kept for the final report.</summary>
public sealed class TrackerLog(TextWriter writer, TrackerToken? token)
{
    private const int Kept = 100;
    private readonly Lock gate = new();
    private readonly List<string> warnings = [];

    /// <summary>The last warnings (at most 100), already redacted.</summary>
    public IReadOnlyList<string> Warnings
    {
        get
        {
            lock (gate)
            {
                return [.. warnings];
            }
        }
    }

    public void Warn(string message)
    {
        string line = token?.Redact(message) ?? message;
        lock (gate)
        {
            if (warnings.Count == Kept)
            {
                warnings.RemoveAt(0);
            }

            warnings.Add(line);
            writer.WriteLine($"tracking: {line}");
            writer.Flush();
        }
    }
}
