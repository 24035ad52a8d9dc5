#pragma once
// Writes that change what availability reads (slot claims, holds' claims, technicians) mark the
// unit of work running on this thread; whoever ran that unit's transaction takes the mark once
// its COMMIT returned and bumps Database::calendar_generation. The calendar index
// (calendar_index.h) answers only while its load is newer than every such commit of this
// replica, so a caller always sees its own bookings.
namespace homevisit::storage {

void MarkCalendarChange();
// Whether a change was marked on this thread since the last call; clears the mark.
bool TakeCalendarChange();

}  // namespace homevisit::storage
