import { http, type Page, type Query } from './http';

export interface Notification {
  id: number;
  kind: string;
  title: string;
  body: string;
  link: string;
  created_at: string;
  read_at: string | null;
}

/** GET /api/notifications (?unread, kind, page) */
export const listNotifications = (query?: Query) => http.get<Page<Notification>>('/api/notifications', query);
/** POST /api/notifications/<id>/read */
export const markNotificationRead = (id: number) => http.post<Notification>(`/api/notifications/${id}/read`);
