using MerchantConsole.Domain.Workflows;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Workflows;

public static class WorkflowLoading
{
    /// <summary>The run with its steps in run order (its next step is the first not done) and its notes.</summary>
    public static IQueryable<WorkflowRun> WithSteps(this IQueryable<WorkflowRun> runs) =>
        runs.Include(r => r.Steps.OrderBy(s => s.Order))
            .Include(r => r.Notes.OrderBy(n => n.At))
            .AsSplitQuery();
}
