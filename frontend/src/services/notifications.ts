import { http, type Page, type Query } from './http';
import type { Schemas } from './schema';

export type Notification = Schemas['NotificationOutput'];

/** GET /api/notifications (?unread, kind, page) */
export const listNotifications = (query?: Query) => http.get<Page<Notification>>('/api/notifications', query);
/** POST /api/notifications/<id>/read */
export const markNotificationRead = (id: number) => http.post<Notification>(`/api/notifications/${id}/read`);
