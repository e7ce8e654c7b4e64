// How http(s) sources are fetched; built from DataSettings, tightened by tests.
using NanoT5.Config;

namespace NanoT5.Data.Sources;

/// <summary>Retries and timeouts of URL sources.</summary>
public sealed record HttpSourceOptions
{
    /// <summary>Attempts after the first for one request or one interrupted read.</summary>
    public int MaxRetries { get; init; } = 6;

    /// <summary>First retry delay; doubled each attempt (1, 2, 4 … s: rides out a minute of trouble).</summary>
    public TimeSpan BaseDelay { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>A read that yields nothing for this long is treated as a dropped connection and resumed.</summary>
    public TimeSpan ReadTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Redirects followed for one request; more is a bad shard (a loop, or a server that never answers).</summary>
    public int MaxRedirects { get; init; } = 5;

    /// <summary>Whether an https URL may redirect to plain http (off: the request would travel unencrypted).</summary>
    public bool AllowHttpsToHttpRedirect { get; init; }

    /// <summary>Where Parquet URLs are downloaded for random access (a run folder's .downloads; null: the system temp folder).</summary>
    public string? DownloadDirectory { get; init; }

    public static HttpSourceOptions From(DataSettings data) => new() { MaxRetries = data.HttpRetries };
}
