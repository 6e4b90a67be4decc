using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Domain.Orders;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

// No foreign keys: these rows are short-lived working state beside the model, deleted by the sign-in code sweep.
internal sealed class SignInCodeConfiguration : IEntityTypeConfiguration<SignInCode>
{
    public void Configure(EntityTypeBuilder<SignInCode> builder)
    {
        builder.ToTable("SignInCodes");
        builder.HasKey(c => new { c.MerchantId, c.Phone });
        builder.Property(c => c.Phone).HasMaxLength(PhoneNumber.MaxLength);
        builder.Property(c => c.CodeHash).HasMaxLength(32);
        // The sweep deletes codes past their life.
        builder.HasIndex(c => c.ExpiresAt);
    }
}

internal sealed class SandboxSmsMessageConfiguration : IEntityTypeConfiguration<SandboxSmsMessage>
{
    public void Configure(EntityTypeBuilder<SandboxSmsMessage> builder)
    {
        builder.ToTable("SandboxSmsMessages");
        builder.Property(m => m.Id).ValueGeneratedNever();
        builder.Property(m => m.MerchantCode).HasMaxLength(32);
        builder.Property(m => m.MerchantName).HasMaxLength(Merchant.NameLimit.MaxUtf16);
        builder.Property(m => m.Phone).HasMaxLength(PhoneNumber.MaxLength);
        builder.Property(m => m.Code).HasMaxLength(12);
        // The support page reads the newest across merchants; the sweep trims the oldest.
        builder.HasIndex(m => m.SentAt);
    }
}

internal sealed class SandboxPaymentRecordConfiguration : IEntityTypeConfiguration<SandboxPaymentRecord>
{
    public void Configure(EntityTypeBuilder<SandboxPaymentRecord> builder)
    {
        builder.ToTable("SandboxPayments");
        builder.HasKey(p => p.PaymentId);
        builder.Property(p => p.PaymentId).HasMaxLength(Order.MaxPaymentIdLength);
        builder.Property(p => p.Currency).HasMaxLength(3);
        builder.Property(p => p.Delivery).HasMaxLength(SandboxPaymentRecord.MaxDeliveryLength);
    }
}
