using System.Data.Common;
using MerchantConsole.Domain.Common;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.ChangeTracking;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace MerchantConsole.Data;

/// <summary>
/// Runs on every save: stamps and guards MerchantId, renews concurrency stamps, writes the audit
/// trail into the same save, and wakes the outbox dispatcher once the change is committed.
/// </summary>
public sealed class SaveStampingInterceptor(TimeProvider clock, IOutboxTrigger outboxTrigger)
    : SaveChangesInterceptor, IDbTransactionInterceptor
{
    public override InterceptionResult<int> SavingChanges(DbContextEventData eventData, InterceptionResult<int> result)
    {
        if (eventData.Context is MerchantDbContext db) Stamp(db);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> SavingChangesAsync(DbContextEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        if (eventData.Context is MerchantDbContext db) Stamp(db);
        return ValueTask.FromResult(result);
    }

    public override int SavedChanges(SaveChangesCompletedEventData eventData, int result)
    {
        SignalOutbox(eventData.Context);
        return result;
    }

    public override ValueTask<int> SavedChangesAsync(SaveChangesCompletedEventData eventData, int result, CancellationToken cancellationToken = default)
    {
        SignalOutbox(eventData.Context);
        return ValueTask.FromResult(result);
    }

    private void Stamp(MerchantDbContext db)
    {
        db.ChangeTracker.DetectChanges();
        var now = clock.GetUtcNow();
        var operationId = Guid.NewGuid();
        var audits = new List<AuditEntry>();
        var outboxAdded = false;

        var tracked = db.ChangeTracker.Entries().ToList();
        var changed = tracked.Where(e => e.State is not (EntityState.Unchanged or EntityState.Detached)).ToList();
        // Stamp and guard first, so a child added with its new root finds the root's merchant below.
        foreach (var entry in changed)
        {
            if (entry.Entity is OutboxMessage && entry.State == EntityState.Added) outboxAdded = true;
            if (entry.Entity is IMerchantOwned owned) GuardMerchant(db.Scope, entry, owned);
            if (entry.Entity is IConcurrencyVersioned && entry.State is EntityState.Added or EntityState.Modified)
                entry.Property(nameof(IConcurrencyVersioned.ConcurrencyStamp)).CurrentValue = Guid.NewGuid();
        }
        // A part has no stamp of its own: renewing its root's makes the save conditional on the root's stamp.
        foreach (var entry in changed)
        {
            if (entry.Entity is IAggregatePart
                && AggregateRootOf(entry, tracked) is { State: EntityState.Unchanged, Entity: IConcurrencyVersioned } root)
                root.Property(nameof(IConcurrencyVersioned.ConcurrencyStamp)).CurrentValue = Guid.NewGuid();
        }
        foreach (var entry in changed)
        {
            if (entry.Entity is AuditEntry written)
            {
                // Entries a feature writes itself (support actions) belong to this save too.
                if (entry.State == EntityState.Added && written.OperationId == Guid.Empty) written.OperationId = operationId;
                continue;
            }
            if (entry.Entity is INotAudited) continue;
            // A tier or a template version is audited under the merchant-owned aggregate it belongs to.
            if (AggregateRootOf(entry, tracked) is { } root)
                audits.Add(Audit(db.Scope, entry, root, now, operationId));
        }

        db.AuditEntries.AddRange(audits.Where(AuditTrail.Worth));
        if (outboxAdded) db.OutboxSignalPending = true;
    }

    private static void GuardMerchant(MerchantScope scope, EntityEntry entry, IMerchantOwned owned)
    {
        var merchantProperty = entry.Property(nameof(IMerchantOwned.MerchantId));
        if (entry.State == EntityState.Added && owned.MerchantId == Guid.Empty)
        {
            merchantProperty.CurrentValue = scope.MerchantId
                ?? throw new InvalidOperationException($"Cannot add {entry.Metadata.ClrType.Name}: no merchant is in scope.");
            return;
        }
        if (scope.AcrossMerchants) return;
        if (scope.MerchantId is null)
            throw new InvalidOperationException($"Cannot save {entry.Metadata.ClrType.Name}: no merchant is in scope.");
        var original = entry.State == EntityState.Added ? owned.MerchantId : (Guid)merchantProperty.OriginalValue!;
        if (original != scope.MerchantId || owned.MerchantId != scope.MerchantId)
            throw new InvalidOperationException($"Refused to save {entry.Metadata.ClrType.Name} of another merchant.");
    }

    /// <summary>
    /// The merchant-owned row this entry belongs to: itself, or the principal its foreign keys lead
    /// to among the tracked rows (aggregates are loaded whole when they are edited).
    /// </summary>
    private static EntityEntry? AggregateRootOf(EntityEntry entry, IReadOnlyList<EntityEntry> tracked, int depth = 0)
    {
        if (entry.Entity is IMerchantOwned) return entry;
        if (depth > 4) return null;
        foreach (var foreignKey in entry.Metadata.GetForeignKeys())
        {
            var values = foreignKey.Properties
                .Select(p => entry.State == EntityState.Deleted ? entry.Property(p.Name).OriginalValue : entry.Property(p.Name).CurrentValue)
                .ToArray();
            if (values.Any(v => v is null)) continue;
            var principal = tracked.FirstOrDefault(e => foreignKey.PrincipalEntityType.IsAssignableFrom(e.Metadata)
                    && foreignKey.PrincipalKey.Properties.Select(p => e.Property(p.Name).CurrentValue).SequenceEqual(values));
            if (principal is not null && AggregateRootOf(principal, tracked, depth + 1) is { } root) return root;
        }
        return null;
    }

    private static AuditEntry Audit(MerchantScope scope, EntityEntry entry, EntityEntry root, DateTimeOffset now, Guid operationId)
    {
        AuditTrail.ValueOf rowValue = name => entry.Metadata.FindProperty(name) is null ? null : entry.Property(name).CurrentValue;
        AuditTrail.ValueOf rootValue = name => root.Metadata.FindProperty(name) is null ? null : root.Property(name).CurrentValue;
        var changes = new List<AuditChange>();
        foreach (var property in entry.Properties)
        {
            if (property.Metadata.Name is nameof(IConcurrencyVersioned.ConcurrencyStamp)) continue;
            var kind = AuditTrail.KindOf(property.Metadata, rowValue, rootValue);
            switch (entry.State)
            {
                case EntityState.Added when property.CurrentValue is not null:
                    changes.Add(new(property.Metadata.Name, null, AuditTrail.Format(property.CurrentValue), kind));
                    break;
                case EntityState.Deleted:
                    changes.Add(new(property.Metadata.Name, AuditTrail.Format(property.OriginalValue), null, kind));
                    break;
                case EntityState.Modified when property.IsModified && !Equals(property.OriginalValue, property.CurrentValue):
                    changes.Add(new(property.Metadata.Name, AuditTrail.Format(property.OriginalValue), AuditTrail.Format(property.CurrentValue), kind));
                    break;
            }
        }
        // MerchantId is already stamped by GuardMerchant.
        return AuditTrail.Entry(scope, ((IMerchantOwned)root.Entity).MerchantId, entry.Metadata.ClrType.Name, AuditTrail.KeyOf(entry.Metadata, rowValue),
            root.Metadata.ClrType.Name, AuditTrail.KeyOf(root.Metadata, rootValue), entry.State.ToString(), changes, now, operationId);
    }

    private void SignalOutbox(DbContext? context)
    {
        if (context is not MerchantDbContext { OutboxSignalPending: true } db) return;
        if (db.Database.CurrentTransaction is not null) return; // wait for the commit
        db.OutboxSignalPending = false;
        outboxTrigger.Trigger();
    }

    // Transaction hooks: an outbox row saved inside an explicit transaction is only real once it commits.
    public void TransactionCommitted(DbTransaction transaction, TransactionEndEventData eventData) => AfterCommit(eventData.Context);
    public Task TransactionCommittedAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        AfterCommit(eventData.Context);
        return Task.CompletedTask;
    }
    public void TransactionRolledBack(DbTransaction transaction, TransactionEndEventData eventData) => Forget(eventData.Context);
    public Task TransactionRolledBackAsync(DbTransaction transaction, TransactionEndEventData eventData, CancellationToken cancellationToken = default)
    {
        Forget(eventData.Context);
        return Task.CompletedTask;
    }

    private void AfterCommit(DbContext? context)
    {
        if (context is not MerchantDbContext { OutboxSignalPending: true } db) return;
        db.OutboxSignalPending = false;
        outboxTrigger.Trigger();
    }

    private static void Forget(DbContext? context)
    {
        if (context is MerchantDbContext db) db.OutboxSignalPending = false;
    }

}
