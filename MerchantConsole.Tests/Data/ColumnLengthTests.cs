using MerchantConsole.Domain.Workflows;
using MerchantConsole.Workflows;
using MerchantConsole.Data;
using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Coupons;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Merchants;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;
using Microsoft.EntityFrameworkCore.Metadata;

namespace MerchantConsole.Tests.Data;

/// <summary>Text the domain accepts must fit its SQL Server column: the column is sized by the domain's UTF-16 cap.</summary>
public sealed class ColumnLengthTests
{
    private static IModel SqlServerModel()
    {
        using var db = new SqlServerDesignTimeFactory().CreateDbContext([]);
        return db.Model;
    }

    public static TheoryData<string, string, int> DomainCaps() => new()
    {
        { nameof(Merchant), nameof(Merchant.Name), Merchant.NameLimit.MaxUtf16 },
        { nameof(CardTemplate), nameof(CardTemplate.Name), DisplayDesignValidator.NameLimit.MaxUtf16 },
        { nameof(MembershipPlan), nameof(MembershipPlan.Name), MembershipPlan.NameLimit.MaxUtf16 },
        { nameof(MembershipPlan), nameof(MembershipPlan.Description), MembershipPlan.DescriptionLimit.MaxUtf16 },
        { nameof(Tier), nameof(Tier.Name), Tier.NameLimit.MaxUtf16 },
        { nameof(JoinChannel), nameof(JoinChannel.StoreCode), JoinChannel.StoreCodeLimit.MaxUtf16 },
        { nameof(MembershipProduct), nameof(MembershipProduct.Name), MembershipProduct.NameLimit.MaxUtf16 },
        { nameof(WorkflowRunNote), nameof(WorkflowRunNote.Reason), WorkflowRunNote.ReasonLimit.MaxUtf16 },
        { nameof(WorkflowStep), nameof(WorkflowStep.LastError), WorkflowStep.MaxErrorLength },
        { nameof(WorkflowStep), nameof(WorkflowStep.Output), WorkflowStep.MaxOutputLength },
        { nameof(WorkflowStep), nameof(WorkflowStep.Name), WorkflowRun.MaxStepNameLength },
        { nameof(WorkflowRun), nameof(WorkflowRun.Kind), WorkflowRun.MaxKindLength },
        { nameof(WorkflowRun), nameof(WorkflowRun.SubjectName), WorkflowRun.SubjectNameLimit.MaxUtf16 },
        { nameof(OutboxMessage), nameof(OutboxMessage.LastError), OutboxMessage.MaxErrorLength },
        { nameof(UploadedImage), nameof(UploadedImage.FileName), UploadedImage.MaxFileNameLength },
        { nameof(UploadedImage), nameof(UploadedImage.PublicToken), UploadedImage.PublicTokenLength },
        { nameof(CouponTemplate), nameof(CouponTemplate.Name), CouponTemplate.NameLimit.MaxUtf16 },
        { nameof(CouponTemplateVersion), nameof(CouponTemplateVersion.GiftItem), CouponTerms.GiftItemLimit.MaxUtf16 },
        { nameof(Activity), nameof(Activity.Name), Activity.NameLimit.MaxUtf16 },
        { nameof(Coupon), nameof(Coupon.ReversalReason), Coupon.ReasonLimit.MaxUtf16 },
        { nameof(Coupon), nameof(Coupon.RevokeReason), Coupon.ReasonLimit.MaxUtf16 },
        { nameof(Customer), nameof(Customer.Name), Customer.NameLimit.MaxUtf16 },
        { nameof(Customer), nameof(Customer.ExternalRef), Customer.ExternalRefLimit.MaxUtf16 },
        { nameof(Customer), nameof(Customer.Phone), PhoneNumber.MaxLength },
        { nameof(Membership), nameof(Membership.CardNumber), CardNumbers.Length },
    };

    [Theory]
    [MemberData(nameof(DomainCaps))]
    public void TheSqlServerColumnHoldsExactlyTheDomainsUtf16Cap(string entity, string property, int cap)
    {
        var column = SqlServerModel().GetEntityTypes().Single(t => t.ClrType.Name == entity).FindProperty(property)!;

        Assert.Equal(cap, column.GetMaxLength());
    }

    [Fact]
    public void EveryLimitAllowsAtLeastOneUnitPerCharacter()
    {
        TextLimit[] limits = [Merchant.NameLimit, DisplayDesignValidator.NameLimit, MembershipPlan.NameLimit, MembershipPlan.DescriptionLimit,
            Tier.NameLimit, JoinChannel.StoreCodeLimit, MembershipProduct.NameLimit, WorkflowRunNote.ReasonLimit,
            WorkflowRun.SubjectNameLimit, CouponTemplate.NameLimit, CouponTerms.GiftItemLimit, Activity.NameLimit, Coupon.ReasonLimit,
            Customer.NameLimit, Customer.ExternalRefLimit];

        Assert.All(limits, l => Assert.True(l.MaxUtf16 >= 2 * l.MaxElements, l.ToString()));
    }

    [Fact]
    public void EveryTextColumnOfOurOwnEntitiesHasALength()
    {
        // Whole values written by the system, not typed by people, and read back whole.
        string[] unbounded = ["CardTemplateVersion.Design", "OutboxMessage.Payload", "AuditEntry.Changes", "DataProtectionKey.FriendlyName", "DataProtectionKey.Xml"];

        var unsized = SqlServerModel().GetEntityTypes()
            .Where(t => !t.ClrType.Namespace!.StartsWith("Microsoft.AspNetCore.Identity", StringComparison.Ordinal))
            .SelectMany(t => t.GetProperties().Select(p => (Type: t, Property: p)))
            .Where(x => x.Property.ClrType == typeof(string) || x.Property.GetProviderClrType() == typeof(string))
            .Where(x => x.Property.GetMaxLength() is null && x.Type.ClrType != typeof(StaffUser))
            .Select(x => $"{x.Type.ClrType.Name}.{x.Property.Name}")
            .Where(name => !unbounded.Contains(name))
            .ToList();

        Assert.Empty(unsized);
    }
}
