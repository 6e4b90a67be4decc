using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

// Coupons: see ARCHITECTURE.md, "Coupons". Counters (Issued, Redeemed…) are changed by conditional updates in the
// coupon services only; codes are upper case so the unique index means the same on every provider.

internal sealed class CouponTemplateConfiguration : IEntityTypeConfiguration<CouponTemplate>
{
    public void Configure(EntityTypeBuilder<CouponTemplate> builder)
    {
        builder.Property(t => t.Id).ValueGeneratedNever();
        builder.Property(t => t.Name).HasMaxLength(CouponTemplate.NameLimit.MaxUtf16);
        builder.Property(t => t.UpdatedBy).HasMaxLength(256);
        builder.HasIndex(t => new { t.MerchantId, t.Name });
        builder.HasMany(t => t.Versions).WithOne().HasForeignKey(v => v.CouponTemplateId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(t => t.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(t => t.CurrentDraft);
        builder.Ignore(t => t.LatestPublished);
    }
}

internal sealed class CouponTemplateVersionConfiguration : IEntityTypeConfiguration<CouponTemplateVersion>
{
    public void Configure(EntityTypeBuilder<CouponTemplateVersion> builder)
    {
        builder.ToTable("CouponTemplateVersions");
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.HasIndex(v => new { v.CouponTemplateId, v.Number }).IsUnique();
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.PublishedBy).HasMaxLength(256);
        builder.Property(v => v.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.Currency).HasMaxLength(3);
        builder.Property(v => v.GiftItem).HasMaxLength(CouponTerms.GiftItemLimit.MaxUtf16);
        builder.Property(v => v.ValidityKind).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.StoreCodes).HasMaxLength(CouponTerms.StoreListMaxLength);
        builder.Property(v => v.CodePrefix).HasMaxLength(CouponCodePattern.MaxPrefixLength).IsUnicode(false);
        builder.Property(v => v.CodeAlphabet).HasMaxLength(36).IsUnicode(false);
        builder.Ignore(v => v.Terms);
        builder.Ignore(v => v.StockLeft);
    }
}

internal sealed class ActivityConfiguration : IEntityTypeConfiguration<Activity>
{
    public void Configure(EntityTypeBuilder<Activity> builder)
    {
        builder.Property(a => a.Id).ValueGeneratedNever();
        builder.Property(a => a.Name).HasMaxLength(Activity.NameLimit.MaxUtf16);
        builder.Property(a => a.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(a => a.UpdatedBy).HasMaxLength(256);
        builder.HasIndex(a => new { a.MerchantId, a.Status });
        builder.HasMany(a => a.CouponActivities).WithOne().HasForeignKey(c => c.ActivityId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(a => a.CouponActivities).UsePropertyAccessMode(PropertyAccessMode.Field);
    }
}

internal sealed class CouponActivityConfiguration : IEntityTypeConfiguration<CouponActivity>
{
    public void Configure(EntityTypeBuilder<CouponActivity> builder)
    {
        builder.ToTable("CouponActivities");
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Trigger).HasConversion<string>().HasMaxLength(20);
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20);
        builder.HasOne<CouponTemplateVersion>().WithMany().HasForeignKey(c => c.CouponTemplateVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasIndex(c => c.CouponTemplateId);
        builder.Ignore(c => c.Rule);
        builder.Ignore(c => c.BudgetLeft);
    }
}

internal sealed class CouponConfiguration : IEntityTypeConfiguration<Coupon>
{
    public void Configure(EntityTypeBuilder<Coupon> builder)
    {
        builder.Property(c => c.Id).ValueGeneratedNever();
        builder.Property(c => c.Code).HasMaxLength(CouponCodePattern.MaxCodeLength).IsUnicode(false);
        builder.Property(c => c.IssueKey).HasMaxLength(Coupon.IssueKeyMaxLength);
        builder.Property(c => c.Currency).HasMaxLength(3);
        // Every change of state is an update conditional on the state it was read in: one redemption per code.
        builder.Property(c => c.Status).HasConversion<string>().HasMaxLength(20).IsConcurrencyToken();
        builder.Property(c => c.RedeemedBy).HasMaxLength(Coupon.ActorMaxLength);
        builder.Property(c => c.ReversedBy).HasMaxLength(Coupon.ActorMaxLength);
        builder.Property(c => c.RevokedBy).HasMaxLength(Coupon.ActorMaxLength);
        builder.Property(c => c.RedeemedStoreCode).HasMaxLength(Coupon.StoreCodeMaxLength);
        builder.Property(c => c.ReversalReason).HasMaxLength(Coupon.ReasonLimit.MaxUtf16);
        builder.Property(c => c.RevokeReason).HasMaxLength(Coupon.ReasonLimit.MaxUtf16);
        builder.HasIndex(c => new { c.MerchantId, c.Code }).IsUnique();
        // Idempotent issue per member and key. Membership ids are unique across merchants, so the merchant adds nothing to
        // the uniqueness; leading with MembershipId lets this index serve the foreign key too (no second index to write).
        // MerchantId second: the merchant filter's term is served here too, so SQLite never prefers (MerchantId, Code) for a
        // member's coupons or a batch's "who holds these keys" (it did, scanning all the merchant's coupons).
        builder.HasIndex(c => new { c.MembershipId, c.MerchantId, c.IssueKey }).IsUnique();
        builder.HasIndex(c => new { c.CouponActivityId, c.Status, c.ValidUntil });
        // The expiry job walks issued coupons by end of validity.
        builder.HasIndex(c => new { c.Status, c.ValidUntil });
        builder.HasOne<CouponActivity>().WithMany().HasForeignKey(c => c.CouponActivityId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<CouponTemplateVersion>().WithMany().HasForeignKey(c => c.CouponTemplateVersionId).OnDelete(DeleteBehavior.Restrict);
        builder.HasOne<Membership>().WithMany().HasForeignKey(c => c.MembershipId).OnDelete(DeleteBehavior.Restrict);
    }
}

internal sealed class MemberCouponCountConfiguration : IEntityTypeConfiguration<MemberCouponCount>
{
    public void Configure(EntityTypeBuilder<MemberCouponCount> builder)
    {
        builder.HasKey(c => new { c.MerchantId, c.MembershipId, c.CouponTemplateId });
    }
}

internal sealed class CouponDailyCountConfiguration : IEntityTypeConfiguration<CouponDailyCount>
{
    public void Configure(EntityTypeBuilder<CouponDailyCount> builder)
    {
        builder.HasKey(c => new { c.CouponActivityId, c.Day });
    }
}
