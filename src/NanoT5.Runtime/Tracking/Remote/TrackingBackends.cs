// Chooses the remote backend of TrackerSettings.Kind. A new tracker (Neptune, say) adds a TrackerKind value,
// a Refit interface with its endpoints, an ITrackingBackend adapter, and one line here.
using NanoT5.Config;
using NanoT5.Tracking.MLflow;

namespace NanoT5.Tracking.Remote;

/// <summary>Creates the configured <see cref="ITrackingBackend"/>.</summary>
public static class TrackingBackends
{
    /// <summary>The backend for <paramref name="settings"/>, or null when only the local record is kept.</summary>
    public static ITrackingBackend? Create(TrackerSettings settings, TrackerToken? token) => settings.Kind switch
    {
        TrackerKind.None => null,
        TrackerKind.MLflow => new MLflowBackend(Url(settings), token),
        _ => throw new ArgumentOutOfRangeException(nameof(settings), settings.Kind, $"tracker.kind '{settings.Kind}' has no backend; known: none, mlflow."),
    };

    private static Uri Url(TrackerSettings settings) =>
        Uri.TryCreate(settings.Url, UriKind.Absolute, out Uri? url) && (url.Scheme == Uri.UriSchemeHttp || url.Scheme == Uri.UriSchemeHttps)
            ? url
            : throw new ArgumentException($"tracker.url: the {settings.Kind} tracker needs an http(s) URL (got '{settings.Url}').", nameof(settings));
}
