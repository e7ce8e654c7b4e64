// HTTP plumbing shared by every Refit tracker backend: one HttpClient with the bearer handler, bodies sent with a
// Content-Length, replies read up to a cap (ReplyBodyLimitHandler), JSON in snake_case, and Refit's ApiException translated into a
// TrackerRequestException that holds no request.
using System.Runtime.ExceptionServices;
using System.Text.Json;
using System.Text.Json.Serialization;
using Refit;

namespace NanoT5.Tracking.Remote;

/// <summary>Creates tracker HTTP clients and runs their calls.</summary>
public static class TrackerHttp
{
    private const int MaxErrorBody = 4096;

    /// <summary>
    /// A client for <paramref name="baseUrl"/> (a path prefix such as http://host/mlflow is kept). It has no
    /// timeout of its own: the delivery pipeline times each attempt.
    /// </summary>
    public static HttpClient CreateClient(Uri baseUrl, TrackerToken? token)
    {
        var sockets = new SocketsHttpHandler { ConnectTimeout = TimeSpan.FromSeconds(10), PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        HttpMessageHandler handlers = new BearerTokenHandler(token, new ContentLengthHandler(new ReplyBodyLimitHandler(sockets)));
        return new HttpClient(handlers, disposeHandler: true) { BaseAddress = baseUrl, Timeout = Timeout.InfiniteTimeSpan, MaxResponseContentBufferSize = ReplyBodyLimitHandler.MaxReplyBytes };
    }

    /// <summary>Refit settings: snake_case JSON, NaN/Infinity as strings (proto3 JSON accepts them), int64 read from strings too.</summary>
    public static RefitSettings CreateRefitSettings()
    {
        var json = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals | JsonNumberHandling.AllowReadingFromString,
        };
        return new RefitSettings(new SystemTextJsonContentSerializer(json)) { MaxExceptionContentLength = MaxErrorBody };
    }

    /// <summary>Runs <paramref name="call"/>; an error status becomes a <see cref="TrackerRequestException"/> naming <paramref name="operation"/>.</summary>
    public static async Task<T> CallAsync<T>(string operation, TrackerToken? token, Func<Task<T>> call)
    {
        try
        {
            return await call().ConfigureAwait(false);
        }
        catch (ApiException e) when ((int)e.StatusCode is >= 200 and < 300)
        {
            // Refit reports a success status whose body failed to read or deserialize this way.
            throw TrackerResponseException.From(operation, (int)e.StatusCode, e, e.Content, token);
        }
        catch (ApiException e)
        {
            throw TrackerRequestException.From(e, operation, token);
        }
        catch (System.Text.Json.JsonException e)
        {
            throw TrackerResponseException.From(operation, 200, e, null, token);
        }
        catch (ApiRequestException e) when (e.InnerException is not null)
        {
            // No response arrived (network error, cancellation): rethrow HttpClient's own exception, which
            // retries and timeouts recognise and which, unlike Refit's wrapper, holds no request headers.
            ExceptionDispatchInfo.Throw(e.InnerException);
            throw;
        }
    }

    /// <inheritdoc cref="CallAsync{T}(string, TrackerToken?, Func{Task{T}})"/>
    public static Task CallAsync(string operation, TrackerToken? token, Func<Task> call) =>
        CallAsync(operation, token, async () =>
        {
            await call().ConfigureAwait(false);
            return true;
        });
}
