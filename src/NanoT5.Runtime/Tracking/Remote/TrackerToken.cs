// The tracker's bearer token. It is read from the environment (never from config), handed only to the
// HTTP handler that sets the Authorization header, and scrubbed from every message tracking writes, in every
// form a server may echo it in: raw, URL-encoded, JSON-escaped, base64 (at any alignment), and in any letter case.
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace NanoT5.Tracking.Remote;

/// <summary>A secret that prints as "***" and can scrub itself out of text.</summary>
public sealed class TrackerToken
{
    private const string Mask = "***";

    // Shorter fragments of a base64 form would mask ordinary words; the raw token is masked at any length.
    private const int MinBase64Fragment = 8;

    private readonly string value;
    private readonly string[] caseless;
    private readonly string[] exact;

    private TrackerToken(string value)
    {
        this.value = value;
        caseless = [.. new[]
            {
                value,
                Uri.EscapeDataString(value),
                System.Net.WebUtility.UrlEncode(value),
                Uri.EscapeDataString(Uri.EscapeDataString(value)),
                JsonEncodedText.Encode(value).ToString(),
                JsonEncodedText.Encode(value, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).ToString(),
                JsonSerializer.Serialize(value).Trim('"'),
                AllEscaped(value),
            }.Where(form => form.Length > 0).Distinct(StringComparer.OrdinalIgnoreCase).OrderByDescending(form => form.Length)];
        exact = [.. Base64Forms(Encoding.UTF8.GetBytes(value)).Where(form => form.Length >= MinBase64Fragment).Distinct(StringComparer.Ordinal).OrderByDescending(form => form.Length)];
    }

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

    /// <summary><paramref name="text"/> with every occurrence of the token, in any of its encodings, replaced by "***".</summary>
    public string Redact(string text)
    {
        foreach (string form in caseless)
        {
            text = text.Replace(form, Mask, StringComparison.OrdinalIgnoreCase);
        }

        foreach (string form in exact)
        {
            text = text.Replace(form, Mask, StringComparison.Ordinal);
        }

        return text;
    }

    /// <inheritdoc />
    public override string ToString() => $"{nameof(TrackerToken)}({Mask})";

    // Only the Authorization header sees the value.
    internal string Reveal() => value;

    // Every character as \uXXXX (what some JSON writers emit for a whole string).
    private static string AllEscaped(string text) => string.Concat(text.Select(c => $"\\u{(int)c:x4}"));

    // The token's base64 as it appears inside a longer base64 text ("Basic user:token", a JWT claim): the
    // characters that depend on the token's bytes alone, for each of the three alignments, in the standard and
    // URL-safe alphabets; plus the whole padded encoding.
    private static IEnumerable<string> Base64Forms(byte[] token)
    {
        for (int lead = 0; lead < 3; lead++)
        {
            byte[] shifted = new byte[lead + token.Length];
            token.CopyTo(shifted, lead);
            string encoded = Convert.ToBase64String(shifted);
            int start = lead == 0 ? 0 : 4;
            int end = 4 * (shifted.Length / 3);
            if (end > start)
            {
                string inner = encoded[start..end];
                yield return inner;
                yield return inner.Replace('+', '-').Replace('/', '_');
            }

            if (lead == 0)
            {
                yield return encoded;
                yield return encoded.Replace('+', '-').Replace('/', '_');
                yield return encoded.TrimEnd('=');
            }
        }
    }
}
