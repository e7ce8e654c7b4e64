// How a run ended (MLflow's RunStatus values, minus SCHEDULED which a training process never is).
namespace NanoT5.Tracking;

/// <summary>The state of a run.</summary>
public enum RunStatus
{
    /// <summary>Started and not yet ended (or the process died without ending it).</summary>
    Running,

    /// <summary>Completed normally.</summary>
    Finished,

    /// <summary>Stopped by an error.</summary>
    Failed,

    /// <summary>Stopped from outside (a signal, a user) before completing.</summary>
    Killed,
}
