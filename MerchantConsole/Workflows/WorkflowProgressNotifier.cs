namespace MerchantConsole.Workflows;

/// <summary>
/// Tells pages in this process that a run moved, so they refresh without a reload. Jobs may run on another node,
/// so a page also polls; this only makes the common case instant.
/// </summary>
public sealed class WorkflowProgressNotifier(ILogger<WorkflowProgressNotifier> logger)
{
    /// <summary>Raised with (merchantId, subjectId, runId) after a change to a run or its subject is committed.</summary>
    public event Action<Guid, Guid, Guid>? RunChanged;

    public void Notify(Guid merchantId, Guid subjectId, Guid runId)
    {
        if (RunChanged is not { } handlers)
            return;
        foreach (var handler in handlers.GetInvocationList().Cast<Action<Guid, Guid, Guid>>())
        {
            // A broken page must not fail the job that reported progress.
            try { handler(merchantId, subjectId, runId); }
            catch (Exception ex) { logger.LogWarning(ex, "A RunChanged subscriber failed."); }
        }
    }
}
