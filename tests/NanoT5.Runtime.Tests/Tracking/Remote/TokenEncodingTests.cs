// Issue 22 item 6: the token is masked in every encoding a server may echo it in.
using System.Text;
using System.Text.Json;
using NanoT5.Tracking;
using NanoT5.Tracking.Remote;

namespace NanoT5.Tests.Tracking.Remote;

public sealed class TokenEncodingTests
{
    // Chosen so its base64 is padded and holds + (the padded, unpadded and URL-safe forms all differ).
    private const string Secret = ">>tok+SECRET/with=Chars\"and\\more~~";

    public static TheoryData<string> Encodings()
    {
        string base64 = Convert.ToBase64String(Encoding.UTF8.GetBytes(Secret));
        return new TheoryData<string>
        {
            Secret,
            Uri.EscapeDataString(Secret),
            Uri.EscapeDataString(Secret).ToLowerInvariant(),
            System.Net.WebUtility.UrlEncode(Secret),
            Secret.ToUpperInvariant(),
            Secret.ToLowerInvariant(),
            JsonSerializer.Serialize(Secret),
            JsonEncodedText.Encode(Secret).ToString(),
            base64,
            base64.TrimEnd('='),
            base64.Replace('+', '-').Replace('/', '_'),
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"user:{Secret}")), // HTTP Basic
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"Bearer {Secret}")),
            Convert.ToBase64String(Encoding.UTF8.GetBytes($"xy{Secret} and more")),
        };
    }

    [Theory]
    [MemberData(nameof(Encodings))]
    public void Redact_masks_the_token_in_this_encoding(string echoed)
    {
        TrackerToken token = TrackerToken.FromEnvironment("T", _ => Secret)!;

        string redacted = token.Redact($"bad token '{echoed}' received");

        Assert.DoesNotContain(echoed.Length > 12 ? echoed[4..^4] : echoed, redacted, StringComparison.Ordinal);
        Assert.StartsWith("bad token '", redacted, StringComparison.Ordinal);
        Assert.Contains("***", redacted, StringComparison.Ordinal);
    }

    [Fact]
    public void Redact_leaves_ordinary_text_alone()
    {
        TrackerToken token = TrackerToken.FromEnvironment("T", _ => Secret)!;
        const string text = "log batch: HTTP 400 BAD_REQUEST INVALID_PARAMETER_VALUE: Invalid metric name 'train/loss'";

        Assert.Equal(text, token.Redact(text));
    }

    [Fact]
    public async Task A_server_echoing_the_token_url_encoded_and_upper_cased_leaks_nothing()
    {
        using var temp = TestPaths.NewTempFolder();
        await using var server = await FakeMLflowServer.StartAsync(requiredToken: "the-right-token");
        server.Echo = header => $"{Uri.EscapeDataString(header)} / {header.ToUpperInvariant()} / {Convert.ToBase64String(Encoding.UTF8.GetBytes(header))}";
        var log = new StringWriter();

        TrackingReport report;
        await using (ExperimentTracker tracker = ExperimentTracker.Start(TrackingFixtures.Config(temp.Path, server.Url, drainSeconds: 2), TrackingFixtures.Options(log, Secret)))
        {
            TrackingFixtures.LogSteps(tracker, firstStep: 1, steps: 2);
            report = await tracker.EndAsync(RunStatus.Finished);
        }

        string everything = log + string.Join("\n", report.Warnings);
        Assert.Contains("UNAUTHENTICATED", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("SECRET", everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Uri.EscapeDataString("tok+SECRET"), everything, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToBase64String(Encoding.UTF8.GetBytes($"Bearer {Secret}"))[8..^8], everything, StringComparison.Ordinal);
    }
}
