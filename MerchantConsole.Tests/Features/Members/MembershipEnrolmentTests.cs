using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Members;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Tests.Features.Members;

/// <summary>The enrolment service on a real SQLite database built by the migrations.</summary>
public sealed class MembershipEnrolmentTests : IAsyncLifetime
{
    private MembersHarness _harness = null!;

    public async ValueTask InitializeAsync() => _harness = await MembersHarness.CreateAsync();

    public ValueTask DisposeAsync() => _harness.DisposeAsync();

    [Fact]
    public async Task EnrollingSavesTheCustomerTheMembershipAndItsMemberJoinedMessageTogether()
    {
        var plan = await _harness.ActivePlanAsync();

        var result = await _harness.Enrolment().EnrolAsync(MembersHarness.Request(plan, "Gold", phone: "+86 138 0013 8000",
            externalRef: "POS-1", birthday: new DateOnly(1990, 5, 12)));

        Assert.Equal(EnrolOutcome.Enrolled, result.Outcome);
        var customer = Assert.Single(await _harness.AllAsync<Customer>());
        var membership = Assert.Single(await _harness.AllAsync<Membership>());
        var message = Assert.Single(await _harness.AllAsync<OutboxMessage>());
        Assert.Equal(("13800138000", "王小明", "POS-1", _harness.Merchant.Id), (customer.Phone, customer.Name, customer.ExternalRef, customer.MerchantId));
        Assert.Equal(result.MembershipId, membership.Id);
        Assert.Equal((customer.Id, plan.Id, plan.Tiers.Single(t => t.Name == "Gold").Id), (membership.CustomerId, membership.PlanId, membership.TierId));
        Assert.Equal(plan.CardTemplateVersionId, membership.CardTemplateVersionId);
        Assert.Equal(_harness.Database.Clock.GetUtcNow().AddDays(366).Date, membership.ExpiresAt!.Value.ToOffset(TimeSpan.FromHours(8)).Date);
        Assert.Equal(nameof(MemberJoined), message.Type);
        Assert.Equal(_harness.Merchant.Id, message.MerchantId);
        Assert.Equal(membership.JoinedMessage(), message.Read<MemberJoined>());
        Assert.Equal(1, _harness.Database.OutboxTrigger.Count);
    }

    [Fact]
    public async Task EnrollingAgainReturnsTheExistingMembershipAndWritesNothing()
    {
        var plan = await _harness.ActivePlanAsync();
        var enrolment = _harness.Enrolment();
        var first = await enrolment.EnrolAsync(MembersHarness.Request(plan, "Silver"));

        var again = await enrolment.EnrolAsync(MembersHarness.Request(plan, "Gold", phone: "138-0013-8000", name: "Someone else"));

        Assert.Equal(EnrolOutcome.AlreadyMember, again.Outcome);
        Assert.Equal((first.MembershipId, first.CardNumber), (again.MembershipId, again.CardNumber));
        Assert.Single(await _harness.AllAsync<Membership>());
        Assert.Equal("王小明", Assert.Single(await _harness.AllAsync<Customer>()).Name);
        Assert.Single(await _harness.AllAsync<OutboxMessage>());
    }

    [Fact]
    public async Task AnExistingCustomerJoinsASecondPlanWithANewCard()
    {
        var coffee = await _harness.ActivePlanAsync();
        var tea = await _harness.ActivePlanAsync(name: "Tea club");
        var enrolment = _harness.Enrolment();

        var first = await enrolment.EnrolAsync(MembersHarness.Request(coffee));
        var second = await enrolment.EnrolAsync(MembersHarness.Request(tea, phone: "13800138000", name: "ignored"));

        Assert.Equal(EnrolOutcome.Enrolled, second.Outcome);
        Assert.NotEqual(first.CardNumber, second.CardNumber);
        Assert.Single(await _harness.AllAsync<Customer>());
        Assert.Equal(2, (await _harness.AllAsync<Membership>()).Count);
        Assert.Equal(2, (await _harness.AllAsync<OutboxMessage>()).Count);
    }

    [Theory]
    [InlineData(PlanStatus.Draft, "Enrolment.PlanNotActive")]
    [InlineData(PlanStatus.Suspended, "Enrolment.PlanNotActive")]
    public async Task APlanThatIsNotActiveIsRefusedAndNothingIsSaved(PlanStatus status, string code)
    {
        var plan = await _harness.ActivePlanAsync(status: status);

        var result = await _harness.Enrolment().EnrolAsync(MembersHarness.Request(plan));

        Assert.Equal(EnrolOutcome.Refused, result.Outcome);
        Assert.Equal(code, result.Refusal!.Code);
        Assert.Empty(await _harness.AllAsync<Customer>());
        Assert.Empty(await _harness.AllAsync<OutboxMessage>());
    }

    [Fact]
    public async Task ATierNotOfThePlanAChannelNotOfTheTierADisabledOrNonManualChannelAreRefused()
    {
        var plan = await _harness.ActivePlanAsync();
        var other = await _harness.ActivePlanAsync(name: "Other");
        var silver = MembersHarness.Request(plan, "Silver");
        var gold = MembersHarness.Request(plan, "Gold");
        var enrolment = _harness.Enrolment();

        var otherTier = await enrolment.EnrolAsync(silver with { TierId = MembersHarness.Request(other).TierId });
        var otherChannel = await enrolment.EnrolAsync(silver with { JoinChannelId = gold.JoinChannelId });
        var freeSignup = await enrolment.EnrolAsync(MembersHarness.Request(plan, channel: JoinChannelType.FreeSignup));
        await using (var db = _harness.Database.For(_harness.Merchant.Id))
        {
            var tracked = await db.MembershipPlans.WithParts().SingleAsync(p => p.Id == plan.Id);
            tracked.SetChannelEnabled(silver.JoinChannelId, false, _harness.Database.Clock.GetUtcNow());
            await db.SaveChangesAsync();
        }
        var disabled = await enrolment.EnrolAsync(silver);

        Assert.Equal("Enrolment.TierNotOfPlan", otherTier.Refusal?.Code);
        Assert.Equal("Enrolment.ChannelNotOfTier", otherChannel.Refusal?.Code);
        Assert.Equal("Enrolment.StaffOnlyManual", freeSignup.Refusal?.Code);
        Assert.Equal("Enrolment.ChannelDisabled", disabled.Refusal?.Code);
        Assert.Empty(await _harness.AllAsync<Membership>());
    }

    [Fact]
    public async Task AnotherMerchantsPlanIsNotFound()
    {
        var theirs = await _harness.ActivePlanAsync(_harness.OtherMerchant.Id);

        var result = await _harness.Enrolment().EnrolAsync(MembersHarness.Request(theirs));

        Assert.Equal("Enrolment.PlanNotFound", result.Refusal?.Code);
        Assert.Empty(await _harness.AllAsync<Membership>());
    }

    [Fact]
    public async Task BadCustomerDetailsAreRefusedWithTheirCodes()
    {
        var plan = await _harness.ActivePlanAsync();
        var enrolment = _harness.Enrolment();
        await enrolment.EnrolAsync(MembersHarness.Request(plan, externalRef: "POS-1"));

        var badPhone = await enrolment.EnrolAsync(MembersHarness.Request(plan, phone: "call me"));
        var noName = await enrolment.EnrolAsync(MembersHarness.Request(plan, phone: "13900000000", name: " "));
        var takenReference = await enrolment.EnrolAsync(MembersHarness.Request(plan, phone: "13900000000", externalRef: " POS-1 "));

        Assert.Equal("Customer.PhoneInvalid", badPhone.Refusal?.Code);
        Assert.Equal("Customer.NameRequired", noName.Refusal?.Code);
        Assert.Equal("Customer.ExternalRefTaken", takenReference.Refusal?.Code);
        Assert.Single(await _harness.AllAsync<Customer>());
    }

    [Fact]
    public async Task TwentyParallelEnrolmentsGetTwentyDistinctCardsEvenWhenEveryNumberIsDrawnTwice()
    {
        var plan = await _harness.ActivePlanAsync();
        var clashing = new EachNumberTwice();

        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i => Task.Run(() =>
            _harness.Enrolment(cardNumbers: clashing).EnrolAsync(MembersHarness.Request(plan, phone: $"1390000{i:D4}", name: $"Member {i}")))));

        Assert.All(results, r => Assert.Equal(EnrolOutcome.Enrolled, r.Outcome));
        var memberships = await _harness.AllAsync<Membership>();
        Assert.Equal(20, memberships.Count);
        Assert.Equal(20, memberships.Select(m => m.CardNumber).Distinct().Count());
        Assert.Equal(20, (await _harness.AllAsync<OutboxMessage>()).Count);
        Assert.True(clashing.Drawn > 20, "Every number was handed out twice, so some enrolment must have clashed and drawn again.");
    }

    [Fact]
    public async Task TenParallelEnrolmentsOfOneCustomerMakeOneMembership()
    {
        var plan = await _harness.ActivePlanAsync();

        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() =>
            _harness.Enrolment().EnrolAsync(MembersHarness.Request(plan)))));

        Assert.All(results, r => Assert.True(r.Succeeded, r.Refusal?.English));
        Assert.Single(results, r => r.Outcome == EnrolOutcome.Enrolled);
        var membership = Assert.Single(await _harness.AllAsync<Membership>());
        Assert.All(results, r => Assert.Equal(membership.Id, r.MembershipId));
        Assert.Single(await _harness.AllAsync<Customer>());
        Assert.Single(await _harness.AllAsync<OutboxMessage>());
    }

    [Fact]
    public async Task CardNumbersAreUniquePerMerchantNotAcrossMerchants()
    {
        var ours = await _harness.ActivePlanAsync();
        var theirs = await _harness.ActivePlanAsync(_harness.OtherMerchant.Id);
        var same = new SameNumber();

        var mine = await _harness.Enrolment(cardNumbers: same).EnrolAsync(MembersHarness.Request(ours));
        var other = await _harness.Enrolment(_harness.OtherMerchant.Id, same).EnrolAsync(MembersHarness.Request(theirs));

        Assert.Equal(EnrolOutcome.Enrolled, other.Outcome);
        Assert.Equal(mine.CardNumber, other.CardNumber);
        // Within one merchant the same number is refused by the unique index and, drawn every time, runs out of attempts.
        await Assert.ThrowsAnyAsync<DbUpdateException>(() =>
            _harness.Enrolment(cardNumbers: same).EnrolAsync(MembersHarness.Request(ours, phone: "13900000001")));
        Assert.Equal(2, (await _harness.AllAsync<Customer>()).Count);
    }

    /// <summary>Hands every number out twice, so two enrolments in a row draw the same one.</summary>
    private sealed class EachNumberTwice : ICardNumberGenerator
    {
        private int _drawn = -1;
        public int Drawn => Volatile.Read(ref _drawn) + 1;

        public string Next()
        {
            var body = "88" + (Interlocked.Increment(ref _drawn) / 2).ToString("D9", System.Globalization.CultureInfo.InvariantCulture);
            return body + CardNumbers.CheckDigit(body);
        }
    }

    private sealed class SameNumber : ICardNumberGenerator
    {
        public string Next() => "88001234567" + CardNumbers.CheckDigit("88001234567");
    }
}
