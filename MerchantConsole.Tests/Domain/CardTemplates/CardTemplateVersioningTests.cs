using MerchantConsole.Domain.CardTemplates;
using MerchantConsole.Domain.Common;

namespace MerchantConsole.Tests.Domain.CardTemplates;

public class CardTemplateVersioningTests
{
    private static readonly Guid MerchantId = Guid.NewGuid();
    private static readonly DateTimeOffset Monday = new(2025, 6, 2, 9, 0, 0, TimeSpan.FromHours(8));

    private static CardTemplate NewTemplate() =>
        CardTemplate.Create(MerchantId, "  金卡模版 ", Designs.Compliant(), "alice", Monday);

    private static CardTemplate PublishedTemplate()
    {
        var template = NewTemplate();
        template.Publish("alice", Monday.AddHours(1));
        return template;
    }

    [Fact]
    public void ANewTemplateStartsWithDraftVersionOne()
    {
        var template = NewTemplate();

        var version = Assert.Single(template.Versions);
        Assert.Equal(1, version.Number);
        Assert.Equal(CardTemplateVersionStatus.Draft, version.Status);
        Assert.Equal(template.Id, version.CardTemplateId);
        Assert.Equal(Designs.Compliant(), version.Design);
        Assert.Same(version, template.CurrentDraft);
        Assert.Null(template.LatestPublished);
        Assert.Equal(CardTemplateStatus.Draft, template.Status);
        Assert.Equal(MerchantId, template.MerchantId);
        Assert.Equal("金卡模版", template.Name);
        Assert.Equal("alice", template.UpdatedBy);
        Assert.Equal(Monday, template.CreatedAt);
    }

    [Fact]
    public void PublishingFreezesTheDraftAndRecordsWhoAndWhen()
    {
        var template = NewTemplate();

        var published = template.Publish("bob", Monday.AddHours(1));

        Assert.Equal(1, published.Number);
        Assert.Equal(CardTemplateVersionStatus.Published, published.Status);
        Assert.Equal(Monday.AddHours(1), published.PublishedAt);
        Assert.Equal("bob", published.PublishedBy);
        Assert.Same(published, template.LatestPublished);
        Assert.Null(template.CurrentDraft);
        Assert.Equal(CardTemplateStatus.Published, template.Status);
        Assert.Equal("bob", template.UpdatedBy);
        Assert.Equal(Monday.AddHours(1), template.UpdatedAt);
    }

    [Fact]
    public void PublishedVersionIsNeverChangedByALaterEdit()
    {
        var template = PublishedTemplate();
        var v1 = template.LatestPublished!;
        var edited = Designs.Compliant() with { Title = "黑金会员卡", TextColor = "#000000" };

        var draft = template.SaveDraft(edited, "carol", Monday.AddDays(1));

        Assert.Equal(2, draft.Number);
        Assert.Equal(CardTemplateVersionStatus.Draft, draft.Status);
        Assert.NotEqual(v1.Id, draft.Id);
        Assert.Equal(edited, draft.Design);
        Assert.Equal(Designs.Compliant(), v1.Design);
        Assert.Equal(CardTemplateVersionStatus.Published, v1.Status);
        Assert.Same(v1, template.LatestPublished);
        Assert.Equal(CardTemplateStatus.PublishedWithDraft, template.Status);
    }

    [Fact]
    public void EditingTwiceKeepsASingleDraft()
    {
        var template = PublishedTemplate();

        var first = template.SaveDraft(Designs.Compliant() with { Title = "一" }, "carol", Monday.AddDays(1));
        var second = template.SaveDraft(Designs.Compliant() with { Title = "二" }, "carol", Monday.AddDays(2));

        Assert.Same(first, second);
        Assert.Equal(2, template.Versions.Count);
        Assert.Single(template.Versions, v => v.Status == CardTemplateVersionStatus.Draft);
        Assert.Equal("二", template.CurrentDraft!.Design.Title);
        Assert.Equal(Monday.AddDays(1), second.CreatedAt);
        Assert.Equal(Monday.AddDays(2), template.UpdatedAt);
    }

    [Fact]
    public void EditingANeverPublishedTemplateUpdatesVersionOne()
    {
        var template = NewTemplate();

        template.SaveDraft(Designs.Compliant() with { Title = "新标题" }, "alice", Monday.AddHours(1));

        var version = Assert.Single(template.Versions);
        Assert.Equal(1, version.Number);
        Assert.Equal("新标题", version.Design.Title);
    }

    [Fact]
    public void PublishingTheSecondDraftMakesItTheLatestAndKeepsTheHistory()
    {
        var template = PublishedTemplate();
        template.SaveDraft(Designs.Compliant() with { Title = "二" }, "carol", Monday.AddDays(1));

        var v2 = template.Publish("carol", Monday.AddDays(2));

        Assert.Same(v2, template.LatestPublished);
        Assert.Equal(CardTemplateStatus.Published, template.Status);
        Assert.Equal([2, 1], template.History.Select(v => v.Number));
        Assert.All(template.Versions, v => Assert.Equal(CardTemplateVersionStatus.Published, v.Status));

        var v3 = template.SaveDraft(Designs.Compliant() with { Title = "三" }, "carol", Monday.AddDays(3));
        Assert.Equal(3, v3.Number);
    }

    [Fact]
    public void PublishingWithoutADraftIsRefused()
    {
        var template = PublishedTemplate();

        var refusal = Assert.Throws<DomainException>(() => template.Publish("alice", Monday.AddDays(1)));

        Assert.Contains("no draft", refusal.Message);
        Assert.Single(template.Versions);
    }

    [Fact]
    public void SavingAnInvalidDesignIsRefusedAndChangesNothing()
    {
        var template = PublishedTemplate();

        var refusal = Assert.Throws<DomainException>(() =>
            template.SaveDraft(Designs.Compliant() with { Title = "" }, "carol", Monday.AddDays(1)));

        Assert.Contains("Title is required.", refusal.Message);
        Assert.Single(template.Versions);
        Assert.Equal(CardTemplateStatus.Published, template.Status);
        Assert.Equal("alice", template.UpdatedBy);
    }

    [Fact]
    public void CreatingWithAnInvalidDesignIsRefused() =>
        Assert.Throws<DomainException>(() =>
            CardTemplate.Create(MerchantId, "金卡", Designs.Compliant() with { BackgroundColor = "green" }, "alice", Monday));

    [Fact]
    public void SavingThePublishedDesignUnchangedStartsNoDraft()
    {
        var template = PublishedTemplate();

        var refusal = Assert.Throws<DomainException>(() => template.SaveDraft(Designs.Compliant(), "carol", Monday.AddDays(1)));

        Assert.Contains("Nothing changed since version 1", refusal.Message);
        Assert.Null(template.CurrentDraft);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void ATemplateNeedsAName(string name) =>
        Assert.Throws<DomainException>(() => CardTemplate.Create(MerchantId, name, Designs.Compliant(), "alice", Monday));

    [Fact]
    public void RenamingChecksTheLengthAndRecordsWho()
    {
        var template = NewTemplate();

        Assert.Throws<DomainException>(() => template.Rename(Designs.Repeat("名", 51), "bob", Monday.AddHours(1)));
        Assert.Equal("金卡模版", template.Name);

        template.Rename("银卡模版", "bob", Monday.AddHours(2));
        Assert.Equal("银卡模版", template.Name);
        Assert.Equal("bob", template.UpdatedBy);
        Assert.Equal(Monday.AddHours(2), template.UpdatedAt);
    }

    [Fact]
    public void ATemplateBelongsToAMerchant() =>
        Assert.Throws<DomainException>(() => CardTemplate.Create(Guid.Empty, "金卡", Designs.Compliant(), "alice", Monday));

    [Fact]
    public void EveryChangeRecordsWhoMadeIt()
    {
        var template = NewTemplate();

        Assert.Throws<DomainException>(() => template.Publish(" ", Monday));
        Assert.Throws<DomainException>(() => template.SaveDraft(Designs.Compliant() with { Title = "x" }, "", Monday));
        Assert.Equal(CardTemplateStatus.Draft, template.Status);
        Assert.Equal(Designs.Compliant(), template.CurrentDraft!.Design);
    }

    [Fact]
    public void ComparingTwoVersionsListsWhatChangedBetweenThem()
    {
        var template = PublishedTemplate();
        var v1 = template.LatestPublished!;
        var v2 = template.SaveDraft(Designs.Compliant() with { Title = "黑金会员卡" }, "carol", Monday.AddDays(1));

        var difference = Assert.Single(template.Compare(v1.Id, v2.Id));

        Assert.Equal(new DesignDifference(nameof(DisplayDesign.Title), "山茶咖啡会员卡", "黑金会员卡"), difference);
    }

    [Fact]
    public void AVersionOfAnotherTemplateCannotBeLookedUp()
    {
        var template = NewTemplate();
        var other = NewTemplate();

        Assert.Throws<DomainException>(() => template.Version(other.CurrentDraft!.Id));
    }
}
