// The tracker's bearer token. It is read from the environment (never from config), handed only to the
// HTTP handler that sets the Authorization header, and scrubbed from every message tracking writes.
namespace NanoT5.Tracking.Remote;

/// <summary>A secret that prints as "***" and can scrub itself out of text.</summary>
public sealed class TrackerToken
{
    private const string Mask = "***";
    private readonly string value;

    private TrackerToken(string value) => this.value = value;

    /// <summary>The token in environment variable <paramref name="variable"/>, or null when it is unset or empty.</summary>
    public static TrackerToken? FromEnvironment(string variable, Func<string, string?> environment)
    {
        string? value = environment(variable)?.Trim();
        return string.IsNullOrEmpty(value) ? null : new TrackerToken(value);
    }

    /// <summary>Words one of which a token variable's name must contain to be taken for a tracker's (MLFLOW_TRACKING_TOKEN does).</summary>
    public static IReadOnlyList<string> TrackerWords { get; } = ["MLFLOW", "TRACKER", "TRACKING"];

    /// <summary>Whether <paramref name="variable"/> says it holds a tracker's token (AWS_SECRET_ACCESS_KEY does not).</summary>
    public static bool NameSaysTracker(string variable) =>
        TrackerWords.Any(word => variable.Contains(word, StringComparison.OrdinalIgnoreCase));

    /// <summary><paramref name="text"/> with every occurrence of the token replaced by "***".</summary>
    public string Redact(string text) => text.Replace(value, Mask, StringComparison.Ordinal);

    /// <inheritdoc />
    public override string ToString() => $"{nameof(TrackerToken)}({Mask})";

    // Only the Authorization header sees the value.
    internal string Reveal() => value;
}
