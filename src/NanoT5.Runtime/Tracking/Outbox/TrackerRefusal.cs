// Which tracker errors refuse what was sent (resending it cannot help, so it is set aside) as opposed to errors
// that stop delivery (a rejected token, a deleted run) or pass by themselves (5xx, 408, 429, network).
using System.Net;
using NanoT5.Tracking.Remote;

namespace NanoT5.Tracking.Outbox;

/// <summary>Classifies a tracker error as a refusal of the request's content.</summary>
internal static class TrackerRefusal
{
    /// <summary>
    /// 400, 413 and 422 refuse the content, unless they are about the run itself (MLflow: "must be in the 'active'
    /// state" for a deleted run). MLflow's file store answers a changed param with 500 INTERNAL_ERROR, the SQL store
    /// with 400: both are refusals.
    /// </summary>
    public static bool Is(Exception e) => e is TrackerRequestException request && (
        (request.StatusCode is HttpStatusCode.BadRequest or HttpStatusCode.RequestEntityTooLarge or HttpStatusCode.UnprocessableEntity
            && !request.Message.Contains("must be in the 'active' state", StringComparison.Ordinal))
        || request.Message.Contains("Changing param values is not allowed", StringComparison.Ordinal));
}
