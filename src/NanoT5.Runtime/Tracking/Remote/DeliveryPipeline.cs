// The Polly v8 pipeline every tracker call runs through, outermost first:
//   retry (jittered exponential backoff, honours Retry-After) -> circuit breaker -> per-attempt timeout.
// The breaker sits inside the retry so each attempt counts; once it opens, calls fail fast with
// BrokenCircuitException, which is not retried here: the sender pauses its round instead.
using System.Net;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace NanoT5.Tracking.Remote;

/// <summary>Builds the resilience pipeline and classifies failures.</summary>
internal static class DeliveryPipeline
{
    public static ResiliencePipeline Build(DeliveryOptions options, TimeProvider time, TrackerLog log)
    {
        var transient = new PredicateBuilder().Handle<Exception>(IsTransient);
        return new ResiliencePipelineBuilder { TimeProvider = time }
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = transient,
                MaxRetryAttempts = options.MaxRetryAttempts,
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.RetryBaseDelay,
                MaxDelay = options.RetryMaxDelay,
                DelayGenerator = args => ValueTask.FromResult(RetryAfter(args.Outcome.Exception, time, options.MaxRetryAfter)),
                OnRetry = args =>
                {
                    log.Warn($"retry {args.AttemptNumber + 1} in {args.RetryDelay.TotalSeconds:0.##} s after {Describe(args.Outcome.Exception)}");
                    return ValueTask.CompletedTask;
                },
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                ShouldHandle = transient,
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakDuration,
                OnOpened = args =>
                {
                    log.Warn($"circuit opened for {args.BreakDuration.TotalSeconds:0.##} s: the tracker keeps failing");
                    return ValueTask.CompletedTask;
                },
            })
            .AddTimeout(options.AttemptTimeout)
            .Build();
    }

    /// <summary>Failures that may go away by themselves: network errors, timeouts, 5xx, 408, 429.</summary>
    public static bool IsTransient(Exception e) => e switch
    {
        TrackerRequestException request => request.IsTransient,
        HttpRequestException or IOException or TimeoutRejectedException => true,
        _ => false,
    };

    /// <summary>One line about a failure, for warnings (exception messages here never hold the token).</summary>
    public static string Describe(Exception? e) => e switch
    {
        null => "no error",
        TimeoutRejectedException => "a request timed out",
        BrokenCircuitException => "the circuit is open",
        _ => $"{e.GetType().Name}: {e.Message}",
    };

    // 429 and 503 may say when to come back; null lets the exponential backoff decide.
    private static TimeSpan? RetryAfter(Exception? e, TimeProvider time, TimeSpan max)
    {
        if (e is not TrackerRequestException { StatusCode: HttpStatusCode.TooManyRequests or HttpStatusCode.ServiceUnavailable } request)
        {
            return null;
        }

        TimeSpan? wait = request.RetryAfterDelta ?? (request.RetryAfterDate - time.GetUtcNow());
        return wait is null ? null : TimeSpan.FromTicks(Math.Clamp(wait.Value.Ticks, 0, max.Ticks));
    }
}
