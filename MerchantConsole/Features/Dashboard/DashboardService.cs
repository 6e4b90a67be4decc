using MerchantConsole.Data;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Dashboard;

public sealed record DashboardCounts(int StaffUsers, int ChangesRecorded, int MessagesWaiting, int CardTemplates, int Plans, int ActivePlans);

/// <summary>The dashboard's figures, each counted in the signed-in merchant's scope.</summary>
public sealed class DashboardService(IDbContextFactory<MerchantDbContext> contexts)
{
    public async Task<DashboardCounts> CountAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await contexts.CreateDbContextAsync(cancellationToken);
        var merchantId = db.Scope.MerchantId;
        return new DashboardCounts(
            StaffUsers: await db.Users.CountAsync(u => u.MerchantId == merchantId, cancellationToken),
            ChangesRecorded: await db.AuditEntries.CountAsync(cancellationToken),
            MessagesWaiting: await db.OutboxMessages.CountAsync(m => m.MerchantId == merchantId && m.SentAt == null, cancellationToken),
            CardTemplates: await db.CardTemplates.CountAsync(cancellationToken),
            Plans: await db.MembershipPlans.CountAsync(cancellationToken),
            ActivePlans: await db.MembershipPlans.CountAsync(p => p.Status == MerchantConsole.Domain.Plans.PlanStatus.Active, cancellationToken));
    }
}
