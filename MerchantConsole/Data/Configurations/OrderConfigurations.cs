using MerchantConsole.Domain.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

// An order is unique per customer and idempotency key (a retried request finds it) and per payment id (a callback
// finds it by one seek). See ARCHITECTURE.md, Orders.
internal sealed class OrderConfiguration : IEntityTypeConfiguration<Order>
{
    public void Configure(EntityTypeBuilder<Order> builder)
    {
        builder.ToTable("Orders");
        builder.Property(o => o.Id).ValueGeneratedNever();
        builder.Property(o => o.Currency).HasMaxLength(3);
        builder.Property(o => o.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(o => o.IdempotencyKey).HasMaxLength(Order.MaxIdempotencyKeyLength);
        builder.Property(o => o.PaymentId).HasMaxLength(Order.MaxPaymentIdLength);
        builder.HasIndex(o => new { o.MerchantId, o.CustomerId, o.IdempotencyKey }).IsUnique();
        builder.HasIndex(o => o.PaymentId).IsUnique();
        // The expiry job reads Pending orders past their time.
        builder.HasIndex(o => new { o.Status, o.ExpiresAt });
        builder.HasIndex(o => new { o.MerchantId, o.CustomerId, o.CreatedAt });
        builder.Ignore(o => o.Price);
        builder.HasMany(o => o.Ledger).WithOne().HasForeignKey(e => e.OrderId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(o => o.Ledger).HasField("_ledger");
    }
}

internal sealed class OrderLedgerEntryConfiguration : IEntityTypeConfiguration<OrderLedgerEntry>
{
    public void Configure(EntityTypeBuilder<OrderLedgerEntry> builder)
    {
        builder.ToTable("OrderLedger");
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Detail).HasMaxLength(OrderLedgerEntry.MaxDetailLength);
        builder.HasIndex(e => new { e.OrderId, e.Sequence }).IsUnique();
    }
}
