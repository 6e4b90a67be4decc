using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using MerchantConsole.Domain.Plans;
using MerchantConsole.Features.Plans.Activation;
using MerchantConsole.Messaging;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Members;

/// <summary>Who is joining: found by phone among the merchant's customers, created from these details otherwise.</summary>
public sealed record CustomerDetails(string? Phone, string? Name, DateOnly? Birthday = null, string? ExternalRef = null);

/// <summary>
/// One way into a plan: a tier, one of its join channels and the customer. <see cref="Source"/> decides which kinds of
/// channel may be used (staff: Manual); <see cref="InviteCode"/> is checked for an invite-code channel.
/// </summary>
public sealed record EnrolRequest(Guid PlanId, Guid TierId, Guid JoinChannelId, CustomerDetails Customer,
    EnrolmentSource Source = EnrolmentSource.Staff, string? InviteCode = null);

public enum EnrolOutcome
{
    Enrolled,
    /// <summary>The customer already had a membership of the plan; it is returned unchanged.</summary>
    AlreadyMember,
    Refused,
}

public sealed record EnrolResult(EnrolOutcome Outcome, Guid? MembershipId = null, string? CardNumber = null, Refusal? Refusal = null)
{
    public bool Succeeded => Outcome is EnrolOutcome.Enrolled or EnrolOutcome.AlreadyMember;
}

/// <summary>Where new card numbers come from; a test seam to force clashes.</summary>
public interface ICardNumberGenerator
{
    string Next();
}

public sealed class RandomCardNumbers : ICardNumberGenerator
{
    public string Next() => CardNumbers.Generate();
}

/// <summary>
/// The one entry point that makes a customer a member (staff's manual enrolment today; the storefront's sign-up and
/// purchase fulfilment later). Idempotent per customer and plan: enrolling again returns the existing membership.
/// The membership, a new customer and the <see cref="MemberJoined"/> outbox message are saved together.
/// See ARCHITECTURE.md, Members.
/// </summary>
public sealed class MembershipEnrolment(IDbContextFactory<MerchantDbContext> contexts, TimeProvider clock, ICardNumberGenerator cardNumbers)
{
    /// <summary>
    /// Enough for any race we can meet: each retry follows a save that lost to another enrolment (the same phone, the
    /// same customer and plan, or a card number drawn twice), and the next attempt sees the winner's row.
    /// </summary>
    public const int MaxAttempts = 8;

    public async Task<EnrolResult> EnrolAsync(EnrolRequest request, CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await contexts.CreateDbContextAsync(cancellationToken);
            try
            {
                var staged = await StageAsync(db, request, cancellationToken);
                if (staged.Outcome == EnrolOutcome.Enrolled)
                    await db.SaveChangesAsync(cancellationToken);
                return staged;
            }
            catch (DomainException refusal)
            {
                return new EnrolResult(EnrolOutcome.Refused, Refusal: refusal.Refusal);
            }
            catch (DbUpdateException) when (attempt < MaxAttempts)
            {
                // A unique index refused the save: someone else enrolled this phone or customer, or drew this card number.
            }
        }
    }

    /// <summary>
    /// Adds the enrolment to <paramref name="db"/> without saving, for a caller that saves it together with its own change
    /// (an order's fulfilment). On <see cref="EnrolOutcome.AlreadyMember"/> nothing is added. Throws the refusal.
    /// </summary>
    public async Task<EnrolResult> StageAsync(MerchantDbContext db, EnrolRequest request, CancellationToken cancellationToken = default)
    {
        var phone = PhoneNumber.Normalise(request.Customer.Phone);
        var plan = await db.MembershipPlans.AsNoTracking().WithParts().SingleOrDefaultAsync(p => p.Id == request.PlanId, cancellationToken)
            ?? throw new DomainException("Enrolment.PlanNotFound", "That plan does not exist.");
        var customer = await db.Customers.SingleOrDefaultAsync(c => c.Phone == phone, cancellationToken);
        if (customer is not null
            && await db.Memberships.AsNoTracking().FirstOrDefaultAsync(m => m.CustomerId == customer.Id && m.PlanId == plan.Id, cancellationToken) is { } existing)
            return new EnrolResult(EnrolOutcome.AlreadyMember, existing.Id, existing.CardNumber);

        var now = clock.GetUtcNow();
        if (customer is null)
        {
            var details = request.Customer;
            customer = Customer.Create(plan.MerchantId, phone, details.Name, details.Birthday, details.ExternalRef, now);
            if (customer.ExternalRef is { } reference && await db.Customers.AnyAsync(c => c.ExternalRef == reference, cancellationToken))
                throw new DomainException("Customer.ExternalRefTaken", "Another customer already has the external reference {ExternalRef}.",
                    ("ExternalRef", reference));
            db.Customers.Add(customer);
        }

        var merchant = await db.Merchants.AsNoTracking().SingleAsync(m => m.Id == plan.MerchantId, cancellationToken);
        var zone = TimeZoneInfo.FindSystemTimeZoneById(merchant.TimeZoneId);
        var membership = Membership.Enrol(plan, request.TierId, request.JoinChannelId, request.Source, request.InviteCode,
            customer, cardNumbers.Next(), zone, now);
        db.Memberships.Add(membership);
        db.OutboxMessages.Add(OutboxMessage.For(membership.MerchantId, membership.JoinedMessage(), now, correlationId: membership.Id));
        return new EnrolResult(EnrolOutcome.Enrolled, membership.Id, membership.CardNumber);
    }
}
