using MerchantConsole.Data;
using MerchantConsole.Domain.Common;
using MerchantConsole.Domain.Members;
using Microsoft.EntityFrameworkCore;

namespace MerchantConsole.Features.Grants;

public sealed record ReferenceMatch(Guid? MembershipId, Refusal? Refusal);

/// <summary>
/// Finds the members a CSV names, a batch at a time: a reference is a card number, a phone or a customer's external
/// reference (tried in that order). A reference that names nobody, or someone who is not an active member of the plan,
/// is refused with the reason.
/// </summary>
public static class GrantReferences
{
    public static Refusal Unknown(string reference) => Refusal.Of("Grant.ReferenceUnknown", "No member or customer has the reference '{Reference}'.", ("Reference", reference));
    public static Refusal NotAMember(string reference) => Refusal.Of("Grant.NotAMemberOfPlan", "'{Reference}' is not a member of this plan.", ("Reference", reference));
    public static Refusal NotActive(string reference) => Refusal.Of("Grant.MembershipNotActive", "The membership of '{Reference}' is not active.", ("Reference", reference));

    public static async Task<Dictionary<string, ReferenceMatch>> MatchAsync(MerchantDbContext db, Guid planId, IReadOnlyList<string> references, CancellationToken ct)
    {
        var distinct = references.Distinct(StringComparer.Ordinal).ToList();
        var cards = distinct.Where(CardNumbers.IsValid).Select(r => (Reference: r, Card: CardNumbers.Normalise(r))).ToList();
        var phones = distinct.Select(r => (Reference: r, Ok: PhoneNumber.TryNormalise(r, out var phone), Phone: phone)).Where(p => p.Ok).ToList();
        var cardKeys = cards.Select(c => c.Card).Distinct().ToList();
        var phoneKeys = phones.Select(p => p.Phone).Distinct().ToList();
        var refKeys = distinct.Select(r => r.Trim()).Where(r => r.Length > 0).Distinct().ToList();

        var byCard = (await db.Memberships.AsNoTracking().Where(m => cardKeys.Contains(m.CardNumber))
                .Select(m => new { m.CardNumber, m.Id, m.PlanId, m.Status }).ToListAsync(ct))
            .ToDictionary(m => m.CardNumber);
        var customers = await db.Customers.AsNoTracking()
            .Where(c => phoneKeys.Contains(c.Phone) || (c.ExternalRef != null && refKeys.Contains(c.ExternalRef)))
            .Select(c => new { c.Id, c.Phone, c.ExternalRef }).ToListAsync(ct);
        var customerIds = customers.Select(c => c.Id).ToList();
        var planMembers = (await db.Memberships.AsNoTracking().Where(m => m.PlanId == planId && customerIds.Contains(m.CustomerId))
                .Select(m => new { m.CustomerId, m.Id, m.Status }).ToListAsync(ct))
            .ToDictionary(m => m.CustomerId);
        var byPhone = customers.GroupBy(c => c.Phone).ToDictionary(g => g.Key, g => g.First().Id);
        var byRef = customers.Where(c => c.ExternalRef is not null).GroupBy(c => c.ExternalRef!).ToDictionary(g => g.Key, g => g.First().Id);
        var cardOf = cards.ToDictionary(c => c.Reference, c => c.Card);
        var phoneOf = phones.ToDictionary(p => p.Reference, p => p.Phone);

        var matches = new Dictionary<string, ReferenceMatch>(StringComparer.Ordinal);
        foreach (var reference in distinct)
        {
            ReferenceMatch match;
            if (cardOf.TryGetValue(reference, out var card) && byCard.TryGetValue(card, out var membership))
                match = membership.PlanId != planId ? new(null, NotAMember(reference))
                    : membership.Status != MembershipStatus.Active ? new(null, NotActive(reference))
                    : new(membership.Id, null);
            else if ((phoneOf.TryGetValue(reference, out var phone) && byPhone.TryGetValue(phone, out var customerId))
                     || byRef.TryGetValue(reference.Trim(), out customerId))
                match = !planMembers.TryGetValue(customerId, out var member) ? new(null, NotAMember(reference))
                    : member.Status != MembershipStatus.Active ? new(null, NotActive(reference))
                    : new(member.Id, null);
            else
                match = new(null, Unknown(reference));
            matches[reference] = match;
        }
        return matches;
    }
}
