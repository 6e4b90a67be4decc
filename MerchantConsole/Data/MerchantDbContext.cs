using System.Linq.Expressions;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Messaging;
using Microsoft.AspNetCore.DataProtection.EntityFrameworkCore;
using Microsoft.AspNetCore.Identity.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Data;

/// <summary>
/// The one model of the console. Each provider has its own subclass so each keeps its own
/// migration set; features only ever see this base type.
/// </summary>
public abstract class MerchantDbContext(DbContextOptions options, MerchantScope scope) : IdentityDbContext<StaffUser>(options), IDataProtectionKeyContext
{
    public const string MerchantFilter = "Merchant";

    public MerchantScope Scope { get; } = scope;

    // Read by the query filter on every query; Guid.Empty matches no row, so an unscoped context sees nothing.
    internal Guid FilterMerchantId => Scope.MerchantId ?? Guid.Empty;

    /// <summary>Set when outbox rows were saved inside a transaction that has not committed yet.</summary>
    internal bool OutboxSignalPending { get; set; }

    public DbSet<Merchant> Merchants => Set<Merchant>();
    public DbSet<AuditEntry> AuditEntries => Set<AuditEntry>();
    public DbSet<SetPasswordLink> SetPasswordLinks => Set<SetPasswordLink>();
    public DbSet<OutboxMessage> OutboxMessages => Set<OutboxMessage>();
    public DbSet<InboxEntry> InboxEntries => Set<InboxEntry>();
    /// <summary>Shared by every web node so cookies and antiforgery tokens survive a node switch.</summary>
    public DbSet<DataProtectionKey> DataProtectionKeys => Set<DataProtectionKey>();
    public DbSet<MerchantConsole.Domain.CardTemplates.CardTemplate> CardTemplates => Set<MerchantConsole.Domain.CardTemplates.CardTemplate>();
    public DbSet<MerchantConsole.Domain.CardTemplates.UploadedImage> UploadedImages => Set<MerchantConsole.Domain.CardTemplates.UploadedImage>();
    public DbSet<MerchantConsole.Domain.Plans.MembershipPlan> MembershipPlans => Set<MerchantConsole.Domain.Plans.MembershipPlan>();
    public DbSet<MerchantConsole.Domain.Workflows.WorkflowRun> WorkflowRuns => Set<MerchantConsole.Domain.Workflows.WorkflowRun>();
    public DbSet<MerchantConsole.Domain.Coupons.CouponTemplate> CouponTemplates => Set<MerchantConsole.Domain.Coupons.CouponTemplate>();
    public DbSet<MerchantConsole.Domain.Coupons.Activity> Activities => Set<MerchantConsole.Domain.Coupons.Activity>();
    public DbSet<MerchantConsole.Domain.Coupons.Coupon> Coupons => Set<MerchantConsole.Domain.Coupons.Coupon>();
    public DbSet<MerchantConsole.Domain.Coupons.MemberCouponCount> MemberCouponCounts => Set<MerchantConsole.Domain.Coupons.MemberCouponCount>();
    public DbSet<MerchantConsole.Domain.Coupons.CouponDailyCount> CouponDailyCounts => Set<MerchantConsole.Domain.Coupons.CouponDailyCount>();
    public DbSet<MerchantConsole.Domain.Members.Customer> Customers => Set<MerchantConsole.Domain.Members.Customer>();
    public DbSet<MerchantConsole.Domain.Members.Membership> Memberships => Set<MerchantConsole.Domain.Members.Membership>();
    public DbSet<MerchantConsole.Domain.Members.TierChange> TierChanges => Set<MerchantConsole.Domain.Members.TierChange>();
    public DbSet<MerchantConsole.Domain.Members.MemberCount> MemberCounts => Set<MerchantConsole.Domain.Members.MemberCount>();
    public DbSet<MerchantConsole.Domain.Members.MemberExport> MemberExports => Set<MerchantConsole.Domain.Members.MemberExport>();
    public DbSet<MerchantConsole.Domain.Benefits.Benefit> Benefits => Set<MerchantConsole.Domain.Benefits.Benefit>();
    public DbSet<MerchantConsole.Domain.Feed.ActivityFeedEntry> ActivityFeed => Set<MerchantConsole.Domain.Feed.ActivityFeedEntry>();
    public DbSet<MerchantConsole.Domain.Orders.Order> Orders => Set<MerchantConsole.Domain.Orders.Order>();
    public DbSet<MerchantConsole.Domain.Orders.OrderLedgerEntry> OrderLedger => Set<MerchantConsole.Domain.Orders.OrderLedgerEntry>();
    /// <summary>State every node shares instead of one process's memory (ARCHITECTURE.md, State every node shares).</summary>
    public DbSet<SignInCode> SignInCodes => Set<SignInCode>();
    public DbSet<SandboxSmsMessage> SandboxSmsMessages => Set<SandboxSmsMessage>();
    public DbSet<SandboxPaymentRecord> SandboxPayments => Set<SandboxPaymentRecord>();

    protected override void OnModelCreating(ModelBuilder builder)
    {
        base.OnModelCreating(builder);
        builder.ApplyConfigurationsFromAssembly(typeof(MerchantDbContext).Assembly);

        foreach (var entityType in builder.Model.GetEntityTypes()
                     .Where(t => typeof(IMerchantOwned).IsAssignableFrom(t.ClrType) && t.BaseType is null && !t.IsOwned()))
        {
            // The across-merchants model (support console, sweepers) is built without the filter; see MerchantModelCacheKey.
            if (!Scope.AcrossMerchants)
                ApplyMerchantFilterMethod.MakeGenericMethod(entityType.ClrType).Invoke(this, [builder]);
            // Every merchant query filters on MerchantId; an index that already leads with it serves them (and is one less to write).
            if (!entityType.GetIndexes().Any(i => i.Properties[0].Name == nameof(IMerchantOwned.MerchantId))
                && entityType.FindPrimaryKey()?.Properties[0].Name != nameof(IMerchantOwned.MerchantId))
                builder.Entity(entityType.ClrType).HasIndex(nameof(IMerchantOwned.MerchantId));
        }
        foreach (var entityType in builder.Model.GetEntityTypes()
                     .Where(t => typeof(IConcurrencyVersioned).IsAssignableFrom(t.ClrType) && !t.IsOwned()))
        {
            builder.Entity(entityType.ClrType).Property(nameof(IConcurrencyVersioned.ConcurrencyStamp)).IsConcurrencyToken();
        }
    }

    private static readonly System.Reflection.MethodInfo ApplyMerchantFilterMethod =
        typeof(MerchantDbContext).GetMethod(nameof(ApplyMerchantFilter), System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!;

    private void ApplyMerchantFilter<T>(ModelBuilder builder) where T : class, IMerchantOwned
    {
        Expression<Func<T, bool>> filter = e => e.MerchantId == FilterMerchantId;
        builder.Entity<T>().HasQueryFilter(MerchantFilter, filter);
    }
}
