export interface BookingServerRequest {
  method: string | undefined;
  path: string;
  query: Record<string, string>;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}
export interface Booking {
  bookingId: string;
  serviceId: string;
  slotId: string;
  branch: string;
  start: string;
  car: { plate: string; model: string };
  customerName: string;
  phone?: string;
  status: 'booked' | 'cancelled';
}
export interface BookingServer {
  url: string;
  bookings(): Booking[];
  requests: BookingServerRequest[];
  close(): Promise<void>;
}
export function startBookingServer(options?: { port?: number; host?: string; apiKey?: string }): Promise<BookingServer>;
