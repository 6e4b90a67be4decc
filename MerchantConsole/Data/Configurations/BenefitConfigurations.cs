using MerchantConsole.Domain.Benefits;
using MerchantConsole.Domain.Feed;
using MerchantConsole.Domain.Plans;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata.Builders;

namespace MerchantConsole.Data.Configurations;

// Benefits and the activity feed: see ARCHITECTURE.md, "Benefits" and "Activity feed".

internal sealed class BenefitConfiguration : IEntityTypeConfiguration<Benefit>
{
    public void Configure(EntityTypeBuilder<Benefit> builder)
    {
        builder.Property(b => b.Id).ValueGeneratedNever();
        builder.Property(b => b.Name).HasMaxLength(Benefit.NameLimit.MaxUtf16);
        builder.Property(b => b.TierIdList).HasMaxLength(Benefit.TierIdsMaxLength).IsUnicode(false);
        builder.Property(b => b.UpdatedBy).HasMaxLength(256);
        builder.HasIndex(b => new { b.MerchantId, b.PlanId });
        builder.HasOne<MembershipPlan>().WithMany().HasForeignKey(b => b.PlanId).OnDelete(DeleteBehavior.Restrict);
        builder.HasMany(b => b.Versions).WithOne().HasForeignKey(v => v.BenefitId).OnDelete(DeleteBehavior.Cascade);
        builder.Navigation(b => b.Versions).UsePropertyAccessMode(PropertyAccessMode.Field);
        builder.Ignore(b => b.TierIds);
        builder.Ignore(b => b.AllTiers);
        builder.Ignore(b => b.Draft);
        builder.Ignore(b => b.Activating);
        builder.Ignore(b => b.ActiveVersions);
        builder.Ignore(b => b.Current);
        builder.Ignore(b => b.HasGoneLive);
        builder.Ignore(b => b.Status);
    }
}

internal sealed class BenefitVersionConfiguration : IEntityTypeConfiguration<BenefitVersion>
{
    public void Configure(EntityTypeBuilder<BenefitVersion> builder)
    {
        builder.ToTable("BenefitVersions");
        builder.Property(v => v.Id).ValueGeneratedNever();
        builder.HasIndex(v => new { v.BenefitId, v.Number }).IsUnique();
        builder.Property(v => v.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.Status).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.Trigger).HasConversion<string>().HasMaxLength(20);
        builder.Property(v => v.PointsFactor).HasPrecision(4, 1);
        builder.Property(v => v.CustomText).HasMaxLength(BenefitVersion.CustomTextLimit.MaxUtf16);
        builder.HasIndex(v => v.CouponActivityId);
        builder.Ignore(v => v.Rule);
        builder.Ignore(v => v.IssuesCoupons);
    }
}

internal sealed class ActivityFeedEntryConfiguration : IEntityTypeConfiguration<ActivityFeedEntry>
{
    public void Configure(EntityTypeBuilder<ActivityFeedEntry> builder)
    {
        builder.ToTable("ActivityFeed");
        builder.Property(e => e.Id).ValueGeneratedNever();
        builder.Property(e => e.Kind).HasConversion<string>().HasMaxLength(20);
        builder.Property(e => e.Name).HasMaxLength(Benefit.NameLimit.MaxUtf16);
        builder.Property(e => e.Summary).HasMaxLength(ActivityFeedEntry.SummaryMaxLength);
        builder.HasIndex(e => new { e.MerchantId, e.ActivityId, e.TierId }).IsUnique();
        builder.HasIndex(e => new { e.MerchantId, e.PlanId, e.TierId });
    }
}
